export { decodeCsrPem, CsrFormatError, type DecodedCsr } from "./decode";
export { verifyCustomCsr, compareWithApi, KEY_TYPE_ALGORITHMS, NO_PEM, normalizeSan } from "./verify";
export { describeName, describeSubject, escapeValue, type SubjectInfo } from "./subject";
