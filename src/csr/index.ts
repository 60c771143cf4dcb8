export { decodeCsrPem, CsrFormatError, type DecodedCsr } from "./decode";
export {
  assessCustomCsr,
  compareWithApi,
  KEY_TYPE_ALGORITHMS,
  NO_PEM,
  problemsOf,
  verifyCustomCsr,
  type CsrVerdict,
} from "./verify";
export { normalizeSan, sanCovers, sanKind, sanSetDifference, canonicalIPv6 } from "./names";
export { describeName, describeSubject, escapeValue, type SubjectInfo } from "./subject";
