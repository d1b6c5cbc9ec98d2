import crypto from "node:crypto";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** "job_" and 24 random base-36 characters (≈ 124 bits): unguessable, so an id alone reveals nothing. */
export function newJobId(): string {
  const bytes = crypto.randomBytes(24);
  let s = "job_";
  for (const b of bytes) s += ALPHABET[b % 36];
  return s;
}

export const JOB_ID = /^job_[0-9a-z]{24}$/;
