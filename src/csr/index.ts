export { decodeCsrPem, CsrFormatError, type DecodedCsr } from "./decode";
export { verifyCustomCsr, compareWithApi, KEY_TYPE_ALGORITHMS, normalizeSan } from "./verify";
export { describeName, describeSubject, escapeValue, type SubjectInfo } from "./subject";
