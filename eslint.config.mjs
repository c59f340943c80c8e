// Lint rules, including the architecture's layer rules (docs/architecture.md).
// The layer rules are enforced here so that review does not have to.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import flexfleet from "./scripts/lint/authorize-first.mjs";

const dbImports = {
  group: ["@/db", "@/db/*", "**/db/client*", "drizzle-orm", "drizzle-orm/*", "postgres"],
  message: "Only server/services, server/jobs' runtime and db/ may touch the database: call a service instead.",
};
const serverImports = {
  group: ["@/server/*", "**/server/*"],
  message: "This layer may not import from server/.",
};
const pureImports = {
  group: [
    "@/server/*", "@/db", "@/db/*", "@/app/*", "@/components/*", "@/simulator/*",
    "next", "next/*", "node:http", "node:https", "node:net", "pg-boss", "drizzle-orm", "postgres",
  ],
  message: "optimiser/, ocpp/ and domain/ are pure: no database, network, framework or other server layer.",
};

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".data/", "db/migrations/", "next-env.d.ts", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
    },
  },
  {
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  // Pure cores: no I/O, no framework, nothing else from server/. The optimiser is one
  // module whose parts (time, tariff, charging, battery, ...) import each other with
  // "../<part>"; ocpp/ and domain/ are flatter. Nothing climbs out of its pure module.
  {
    files: ["server/optimiser/**", "server/ocpp/**", "server/domain/**"],
    rules: { "no-restricted-globals": ["error", { name: "fetch", message: "Pure code does no I/O." }] },
  },
  {
    files: ["server/optimiser/*/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [pureImports, { group: ["../../*"], message: "Stay inside server/optimiser." }] }] },
  },
  {
    files: ["server/ocpp/**", "server/domain/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [pureImports, { group: ["../../*", "../*/**"], message: "Stay inside this pure module." }] }] },
  },
  // OEM adapters speak HTTP only.
  {
    files: ["server/oem/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [dbImports, { group: ["@/server/services/*", "@/server/api/*", "@/server/jobs/*"], message: "OEM adapters do HTTP only." }] }],
    },
  },
  // Transports (tRPC, REST, route handlers), auth and pages call services; they never open the database themselves.
// Process entry points (scripts/) boot the database once and then only call services.
  {
    files: ["server/api/**", "app/**", "server/auth/**", "server/ocpp-gateway/**"],
    ignores: ["server/auth/**/*.test.ts", "server/ocpp-gateway/**/*.test.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [dbImports] }] },
  },
  // Presentational components never import server code.
  {
    files: ["components/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [serverImports, dbImports] }] },
  },
  // Every exported service function that writes is authorized first (docs/decisions/0001-permissions.md).
  {
    files: ["server/services/**/*.ts"],
    ignores: ["**/*.test.ts", "**/test-support.ts"],
    plugins: { flexfleet },
    rules: { "flexfleet/authorize-first": "error" },
  },
  // The simulator is the outside world: it shares nothing with the platform.
  {
    files: ["simulator/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [serverImports, dbImports, { group: ["@/app/*", "@/components/*"], message: "The simulator is independent of the platform." }] }] },
  },
);
