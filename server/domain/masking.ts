// Masks for personal data shown to someone who may know it exists but not what it is
// (viewers, householders confirming their own address): enough to recognise, not to harvest.

/** "j•••@example.com". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** "J•••": a householder's name. */
export function maskName(name: string): string {
  const first = name.trim().slice(0, 1);
  return first === "" ? "•••" : `${first}•••`;
}
