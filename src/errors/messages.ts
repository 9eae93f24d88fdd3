/**
 * English texts of ZITADEL's i18n keys that Usher raises. A key without a text is shown raw,
 * exactly as ZITADEL does (e.g. `Errors.User.AlreadyExisting`).
 */
const en: Readonly<Record<string, string>> = {
  "Errors.User.UserIDMissing": "User ID missing",
  "Errors.IDMissing": "ID missing",
  "Errors.User.NotFound": "User could not be found",
  "Errors.User.AlreadyExists": "User already exists",
  "Errors.User.AlreadyInitialised": "User is already initialized",
  "Errors.User.NotInitialised": "User is not yet initialized",
  "Errors.User.InvalidURLTemplate": "URL Template is invalid",
  "Errors.User.Code.NotFound": "Code not found",
  "Errors.User.Code.Invalid": "Code is invalid",
  "Errors.User.Code.Empty": "Code is empty",
  "Errors.User.Code.Expired": "Code is expired",
  "Errors.User.Email.NotFound": "Email not found",
  "Errors.User.Email.Empty": "Email is empty",
  "Errors.User.Email.Invalid": "Email is invalid",
  "Errors.User.Email.AlreadyVerified": "Email is already verified",
  "Errors.User.Profile.FirstNameEmpty": "First name in profile is empty",
  "Errors.User.Profile.LastNameEmpty": "Last name in profile is empty",
  "Errors.User.Password.NotFound": "Password not found",
  "Errors.User.Password.Empty": "Password is empty",
  "Errors.User.PasswordComplexityPolicy.MinLength": "Password is too short",
  "Errors.User.PasswordComplexityPolicy.HasLower": "Password must contain lower case",
  "Errors.User.PasswordComplexityPolicy.HasUpper": "Password must contain upper case",
  "Errors.User.PasswordComplexityPolicy.HasNumber": "Password must contain number",
  "Errors.User.PasswordComplexityPolicy.HasSymbol": "Password must contain symbol",
  "Errors.User.Password.Invalid": "Password is invalid",
  "Errors.Org.NotFound": "Organisation not found",
  "Errors.Internal": "An internal error occurred",
  "Errors.Unavailable": "The service is unavailable, try again later",
  "Errors.Limits.Throttled": "Too many messages were requested, try again later",
};

/** The text for a key, or the key itself when it has no translation (ZITADEL's behaviour). */
export function messageFor(key: string): string {
  return en[key] ?? key;
}
