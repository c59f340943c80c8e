import { Notice } from "@/components/ui/notice";
import { fieldErrorsOf, messageOf } from "./errors";

/**
 * A form's error that belongs to no field (a conflict, a server problem) as a notice. Errors that
 * name fields are shown beside those fields instead, so this shows nothing for them.
 */
export function FormErrorNotice({ error, className }: { error: unknown; className?: string }) {
  if (!error || Object.keys(fieldErrorsOf(error)).length > 0) return null;
  return (
    <Notice tone="danger" {...(className ? { className } : {})}>
      {messageOf(error)}
    </Notice>
  );
}
