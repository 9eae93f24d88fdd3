import { invalidArgument } from "../errors/usher-error.ts";

/** The password complexity policy (ZITADEL's default: min length 8, no class required). */
export interface PasswordPolicy {
  minLength: number;
  hasLowercase: boolean;
  hasUppercase: boolean;
  hasNumber: boolean;
  hasSymbol: boolean;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  hasLowercase: false,
  hasUppercase: false,
  hasNumber: false,
  hasSymbol: false,
};

/** The policy a configuration asks for (`USHER_PASSWORD_*`). */
export function passwordPolicyOf(c: {
  passwordMinLength: number;
  passwordRequireLowercase: boolean;
  passwordRequireUppercase: boolean;
  passwordRequireNumber: boolean;
  passwordRequireSymbol: boolean;
}): PasswordPolicy {
  return {
    minLength: c.passwordMinLength,
    hasLowercase: c.passwordRequireLowercase,
    hasUppercase: c.passwordRequireUppercase,
    hasNumber: c.passwordRequireNumber,
    hasSymbol: c.passwordRequireSymbol,
  };
}

/** Throws ZITADEL's `DOMAIN-…` error for the first rule the password breaks. */
export function checkPasswordPolicy(policy: PasswordPolicy, password: string): void {
  if ([...password].length < policy.minLength) {
    throw invalidArgument(
      "DOMAIN-HuJf6",
      "Errors.User.PasswordComplexityPolicy.MinLength",
      undefined,
      "password_too_short",
    );
  }
  if (policy.hasLowercase && !/\p{Ll}/u.test(password)) {
    throw invalidArgument("DOMAIN-co3Xw", "Errors.User.PasswordComplexityPolicy.HasLower");
  }
  if (policy.hasUppercase && !/\p{Lu}/u.test(password)) {
    throw invalidArgument("DOMAIN-VoaRj", "Errors.User.PasswordComplexityPolicy.HasUpper");
  }
  if (policy.hasNumber && !/\p{Nd}/u.test(password)) {
    throw invalidArgument("DOMAIN-ZBv4H", "Errors.User.PasswordComplexityPolicy.HasNumber");
  }
  if (policy.hasSymbol && !/[^\p{L}\p{Nd}]/u.test(password)) {
    throw invalidArgument("DOMAIN-ZDLwA", "Errors.User.PasswordComplexityPolicy.HasSymbol");
  }
}
