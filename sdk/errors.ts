export {
  AcmeOrderError,
  CertificateMismatchError,
  CloudflareApiError,
  CloudflareAuthError,
  CsrVerificationError,
  CustomCsrNotFoundError,
  InvalidCustomCsrArgsError,
  REQUIRED_PERMISSION,
  type ArgumentProblem,
  type AuthScheme,
  type CloudflareErrorDetail,
} from "../src/errors";
