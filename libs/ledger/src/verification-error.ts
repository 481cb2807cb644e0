/**
 * A proof, note, key or checkpoint that does not verify. Every verifier of this library throws one
 * (never returns false), with a stable `code` for programs and a message that names the reason for
 * people: the offline verifier prints it.
 */
export class VerificationError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
