// `npm run cli -- <command> [options]`: operations commands. They use the same
// services and configuration as the dashboard (the embedded database when
// DATABASE_URL is unset). To add a command, add an entry to `commands` below.
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
// The CLI is a process entry point like the worker: it resolves its database once at
// boot. Commands themselves only call services.
import { bootDatabase } from "@/db/bootstrap";
import { closeDb } from "@/db/client";
import { getConfig } from "@/server/config";
import { ALL_API_SCOPES, createApiClient, type CreateApiClientInput } from "@/server/services/api-clients/api-clients";
import { systemContext, type ServiceContext } from "@/server/services/context";
import { isServiceError } from "@/server/services/errors";
import { loadMeterRegistry, previewMeterRegistry } from "@/server/services/meters/meter-registry";
import { createFirstAdmin, findOrganisationBySlug } from "@/server/services/organisations/create-organisation";

interface Command {
  summary: string;
  usage: string;
  /** Whether the command needs the database booted first. */
  needsDatabase: boolean;
  run(args: string[]): Promise<void>;
}

class UsageError extends Error {}

/** Unknown or malformed options are the user's to fix: a usage message, not a stack trace. */
function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

function stringOptions(args: string[], names: readonly string[]): Record<string, string | undefined> {
  const options = Object.fromEntries(names.map((name) => [name, { type: "string" as const }]));
  const values = asUsage(() => parseArgs({ args, options, strict: true, allowPositionals: false }).values);
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" ? value : undefined]));
}

/** The system context of the organisation a command names with --org. */
async function organisationContext(slug: string): Promise<ServiceContext> {
  const org = await findOrganisationBySlug(slug);
  if (!org) throw new UsageError(`No organisation with slug ${slug}.`);
  return systemContext(org.id, "cli");
}

export function parseScopes(raw: string): string[] {
  if (raw.trim() === "all") return [...ALL_API_SCOPES];
  const scopes = raw.split(",").map((scope) => scope.trim()).filter(Boolean);
  const unknown = scopes.filter((scope) => !(ALL_API_SCOPES as string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new UsageError(`Unknown scope${unknown.length === 1 ? "" : "s"}: ${unknown.join(", ") || "(none)"}. Known: ${ALL_API_SCOPES.join(", ")} or all.`);
  }
  return scopes;
}

const commands: Record<string, Command> = {
  help: {
    summary: "List the commands",
    usage: "help",
    needsDatabase: false,
    async run() {
      console.log("Usage: npm run cli -- <command> [options]\n\nCommands:");
      for (const [name, command] of Object.entries(commands)) console.log(`  ${name.padEnd(20)} ${command.summary}\n  ${"".padEnd(20)} ${command.usage}`);
    },
  },
  "create-api-client": {
    summary: "Create an API client and print its id and one-time secret as JSON",
    usage: "create-api-client --org <slug> --scopes <comma list|all> [--name <name>]",
    needsDatabase: true,
    async run(args) {
      const values = stringOptions(args, ["org", "scopes", "name"]);
      if (!values.org || !values.scopes) throw new UsageError("--org and --scopes are required.");
      const created = await createApiClient(await organisationContext(values.org), {
        name: values.name ?? `CLI client ${new Date().toISOString()}`,
        scopes: parseScopes(values.scopes) as CreateApiClientInput["scopes"],
      });
      console.log(JSON.stringify({ client_id: created.clientId, client_secret: created.clientSecret }));
    },
  },
  "create-admin": {
    summary: "Create an organisation and its first admin (a production installation starts with none)",
    usage:
      "create-admin --org-name <name> --email <email> [--name <your name>] [--slug <slug>] [--password-stdin]\n" +
      "  ".padEnd(24) +
      "without --password-stdin a one-time password is printed, to be changed at first sign-in",
    needsDatabase: true,
    async run(args) {
      const { "password-stdin": passwordStdin, ...rest } = asUsage(
        () =>
          parseArgs({
            args,
            options: { "org-name": { type: "string" }, email: { type: "string" }, name: { type: "string" }, slug: { type: "string" }, "password-stdin": { type: "boolean" } },
            strict: true,
            allowPositionals: false,
          }).values,
      );
      if (!rest["org-name"] || !rest.email) throw new UsageError("--org-name and --email are required.");
      // Never a password on the command line (shell history, process list): standard input only.
      const password = passwordStdin ? (await readStdin("Pipe the password on standard input.")).replace(/\r?\n$/, "") : undefined;
      const created = await createFirstAdmin({
        organisationName: rest["org-name"],
        email: rest.email,
        ...(rest.name ? { name: rest.name } : {}),
        ...(rest.slug ? { slug: rest.slug } : {}),
        ...(password !== undefined ? { password } : {}),
      });
      console.log(`Created organisation ${created.slug} with admin ${rest.email}.`);
      if (created.oneTimePassword) console.log(`One-time password: ${created.oneTimePassword}\n(it must be changed at first sign-in)`);
      else console.log("Sign in with the password you chose.");
    },
  },
  "plan-charging": {
    summary: "Plan EV charging sessions (optionally sharing a site limit) for a JSON request on stdin (docs/planner.md)",
    usage: "plan-charging < request.json",
    needsDatabase: false,
    async run() {
      const { runPlanChargingRequest } = await import("@/server/optimiser/charging/request");
      await answerJsonRequest(runPlanChargingRequest);
    },
  },
  "plan-battery": {
    summary: "Plan a battery's charge/discharge schedule for a JSON request on stdin (docs/battery-planner.md)",
    usage: "plan-battery < request.json",
    needsDatabase: false,
    async run() {
      const { runPlanBatteryRequest } = await import("@/server/optimiser/battery/request");
      await answerJsonRequest(runPlanBatteryRequest);
    },
  },
  "load-meter-registry": {
    summary: "Load a meter registry CSV for an organisation (checked first; all rows or none)",
    usage: "load-meter-registry --org <slug> --file <registry.csv> [--dry-run true]",
    needsDatabase: true,
    async run(args) {
      const values = stringOptions(args, ["org", "file", "dry-run"]);
      if (!values.org || !values.file) throw new UsageError("--org and --file are required.");
      const ctx = await organisationContext(values.org);
      let csv: string;
      try {
        csv = await readFile(values.file, "utf8");
      } catch (error) {
        throw new UsageError(`Cannot read ${values.file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (values["dry-run"] === "true") {
        const preview = await previewMeterRegistry(ctx, { csv });
        console.log(JSON.stringify({ rows: preview.rowCount, new: preview.newCount, updated: preview.updateCount, problems: preview.errors }, null, 2));
        if (preview.errors.length > 0) process.exitCode = 1;
        return;
      }
      console.log(JSON.stringify(await loadMeterRegistry(ctx, { csv })));
    },
  },
  // Register further commands here.
};

async function readStdin(whenTerminal = "Pipe a JSON request on standard input."): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError(whenTerminal);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Planner commands: JSON in on stdin, JSON out on stdout; a bad request prints its problems and exits 2. */
async function answerJsonRequest(run: (json: unknown) => unknown): Promise<void> {
  const text = await readStdin();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The request is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const answer = (await run(json)) as { ok?: boolean };
  console.log(JSON.stringify(answer, null, 2));
  if (answer.ok === false) process.exitCode = 2;
}

async function main(argv: string[]): Promise<number> {
  const [name = "help", ...rest] = argv;
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command ${name}. Run \`npm run cli -- help\`.`);
    return 2;
  }
  const database = command.needsDatabase ? await bootDatabase(getConfig(), { migrate: true }) : undefined;
  try {
    await command.run(rest);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\nUsage: npm run cli -- ${command.usage}`);
      return 2;
    }
    if (isServiceError(error)) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    if (database) {
      await closeDb();
      await database.stop();
    }
  }
}

const exitCode = await main(process.argv.slice(2));
// Exit explicitly (once stdout has drained): an idle pool or timer must not keep the CLI alive or mask its status.
process.stdout.write("", () => process.exit(exitCode));
