/** Row-level issue codes. Each is documented in docs/error-codes.md. */
export type IssueCode = string;
