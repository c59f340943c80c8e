// ESLint rule flexfleet/authorize-first: an exported service function that takes a context
// (`ctx`) and writes must start with `authorize(ctx, "<permission>")`, so no transport can
// reach a write the permission table does not allow (docs/decisions/0001-permissions.md).
//
// "Writes" means either its name starts with a verb that changes something (create, record,
// approve, ...) or its body calls `.insert(`, `.update(`, `.delete(` or `.transaction(`.
// A helper that only ever runs inside an entry point that already authorized says so with an
// eslint-disable comment naming who authorizes, so every exemption is visible in review.

const WRITE_VERBS =
  /^(add|answer|append|approve|cancel|change|commit|create|delete|disable|drive|enable|enrol|execute|export|import|ingest|initialise|insert|notify|offboard|onboard|plan|poll|queue|record|refresh|remove|replace|replan|revoke|send|set|settle|stop|store|submit|unenrol|update|upload|withdraw)(?![a-z])/;
const WRITE_CALLS = new Set(["insert", "update", "delete", "transaction"]);

function firstParamName(fn) {
  const param = fn.params[0];
  if (!param) return null;
  if (param.type === "Identifier") return param.name;
  if (param.type === "AssignmentPattern" && param.left.type === "Identifier") return param.left.name;
  return null;
}

function callsWrite(node) {
  let found = false;
  const visit = (current) => {
    if (found || current === null || typeof current !== "object") return;
    if (Array.isArray(current)) {
      current.forEach(visit);
      return;
    }
    if (current.type === "CallExpression" && current.callee.type === "MemberExpression" && current.callee.property.type === "Identifier" && WRITE_CALLS.has(current.callee.property.name)) {
      found = true;
      return;
    }
    for (const key of Object.keys(current)) {
      if (key === "parent" || key === "loc" || key === "range") continue;
      visit(current[key]);
    }
  };
  visit(node);
  return found;
}

function startsWithAuthorize(fn, ctxName) {
  if (fn.body.type !== "BlockStatement") return false;
  const first = fn.body.body[0];
  if (!first || first.type !== "ExpressionStatement") return false;
  const call = first.expression;
  return (
    call.type === "CallExpression" &&
    call.callee.type === "Identifier" &&
    call.callee.name === "authorize" &&
    call.arguments[0]?.type === "Identifier" &&
    call.arguments[0].name === ctxName
  );
}

/** @type {import("eslint").Rule.RuleModule} */
export const authorizeFirst = {
  meta: {
    type: "problem",
    docs: { description: "Exported service functions that write start with authorize(ctx, permission)." },
    messages: {
      missing: "{{name}} writes: start it with authorize(ctx, \"<permission>\") from server/services/authorize.ts (the table is server/domain/permissions.ts).",
    },
    schema: [],
  },
  create(context) {
    const check = (fn, name, reportNode) => {
      const ctxName = firstParamName(fn);
      if (ctxName !== "ctx") return;
      if (!WRITE_VERBS.test(name) && !callsWrite(fn.body)) return;
      if (!startsWithAuthorize(fn, ctxName)) context.report({ node: reportNode, messageId: "missing", data: { name } });
    };
    return {
      ExportNamedDeclaration(node) {
        const declaration = node.declaration;
        if (!declaration) return;
        if (declaration.type === "FunctionDeclaration" && declaration.id) check(declaration, declaration.id.name, declaration.id);
        if (declaration.type === "VariableDeclaration") {
          for (const declarator of declaration.declarations) {
            const init = declarator.init;
            if (declarator.id.type === "Identifier" && init && (init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression")) check(init, declarator.id.name, declarator.id);
          }
        }
      },
    };
  },
};

export default { rules: { "authorize-first": authorizeFirst } };
