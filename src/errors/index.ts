export { CloudflareApiError, type CloudflareErrorDetail } from "./CloudflareApiError";
export { CloudflareAuthError, REQUIRED_PERMISSION } from "./CloudflareAuthError";
export type { AuthScheme } from "../cloudflare/credentials";
export { CustomCsrNotFoundError } from "./CustomCsrNotFoundError";
export { InvalidCustomCsrArgsError, type ArgumentProblem } from "./InvalidCustomCsrArgsError";
export { CsrVerificationError } from "./CsrVerificationError";
export { CertificateMismatchError } from "./CertificateMismatchError";
export { boundedProblems, cutText, listWithin, MAX_MESSAGE_LENGTH } from "./limits";
export { AcmeOrderError } from "./AcmeOrderError";
