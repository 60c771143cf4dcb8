export { CloudflareApiError, type CloudflareErrorDetail } from "./CloudflareApiError";
export { CloudflareAuthError, REQUIRED_PERMISSION, type AuthScheme } from "./CloudflareAuthError";
export { CustomCsrNotFoundError } from "./CustomCsrNotFoundError";
export { InvalidCustomCsrArgsError, type ArgumentProblem } from "./InvalidCustomCsrArgsError";
export { CsrVerificationError } from "./CsrVerificationError";
export { CertificateMismatchError } from "./CertificateMismatchError";
