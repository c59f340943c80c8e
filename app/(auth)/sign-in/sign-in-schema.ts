import { z } from "zod";

// Mirrors the server's checks (server/services/operators/sign-in.ts) so mistakes are caught before the round trip.
export const signInFormSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address."),
  password: z.string().min(1, "Enter your password.").max(1024, "Passwords are at most 1024 characters."),
});
