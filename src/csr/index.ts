export { decodeCsrPem, CsrFormatError, type DecodedCsr } from "./decode";
export { verifyCustomCsr, compareWithApi, KEY_TYPE_ALGORITHMS, NO_PEM } from "./verify";
export { normalizeSan, sanCovers, sanKind, canonicalIPv6 } from "./names";
export { describeName, describeSubject, escapeValue, type SubjectInfo } from "./subject";
