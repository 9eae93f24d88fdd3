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
  "Errors.User.Email.NotChanged": "Email not changed",
  "Errors.User.Email.IDMissing": "Email ID is missing",
  "Errors.User.CantDeactivateInitial": "User with state initial can only be deleted not deactivated",
  "Errors.User.AlreadyInactive": "User already inactive",
  "Errors.User.NotInactive": "User is not inactive",
  "Errors.User.ShouldBeActiveOrInitial": "User is not active or initial",
  "Errors.User.NotLocked": "User is not locked",
  "Errors.User.Password.NotSet": "User has not set a password",
  "Errors.User.Username.Empty": "Username is empty",
  "Errors.User.Password.NotSupported":
    "Password hash encoding not supported. Check out https://zitadel.com/docs/concepts/architecture/secrets#hashed-secrets",
  "Errors.Org.NotFound": "Organisation not found",
  "Errors.Org.AlreadyExists": "Organisation's name or id already taken",
  "Errors.Org.Domain.AlreadyExists": "Domain already exists",
  "Errors.Org.Domain.EmptyString":
    "Invalid non numeric and alphabetical characters were replaced with empty spaces and resulting domain is an empty string",
  "Errors.Instance.MemberInvalid": "Member is invalid",
  "Errors.User.Invalid": "Userdata is invalid",
  "Errors.User.WrongType": "Not allowed for this user type",
  "Errors.User.PAT.NotFound": "Personal Access Token not found",
  "Errors.Query.InvalidRequest": "Request is invalid",
  "Errors.Internal": "An internal error occurred",
  "Errors.Unavailable": "The service is unavailable, try again later",
  "Errors.Deadline": "The request took too long and was stopped",
  "Errors.InvalidInput":
    "The request holds a value that cannot be stored (a NUL character or a number out of range)",
  "Errors.Query.TooManyQueries": "The request holds too many search queries",
  "Errors.Query.OffsetOutOfRange": "The offset is out of range",
  "Errors.InvalidUtf8": "The request is not valid UTF-8",
  "Errors.Limits.Throttled": "Too many messages were requested, try again later",
};

/** The text for a key, or the key itself when it has no translation (ZITADEL's behaviour). */
export function messageFor(key: string): string {
  return en[key] ?? key;
}
