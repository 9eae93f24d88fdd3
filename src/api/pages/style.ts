/**
 * The pages' one stylesheet. Colours keep at least 4.5:1 against their background (text
 * #1a1a1a and #374151 on white, white on #1d4ed8, #b91c1c on white), and every focusable
 * element shows a 3px outline when focused from the keyboard.
 */
export const STYLESHEET = `*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:100%;line-height:1.5;color:#1a1a1a;background:#f3f4f6}
body{margin:0;padding:2rem 1rem}
main{max-width:30rem;margin:0 auto;background:#ffffff;border:1px solid #d1d5db;border-radius:12px;padding:2rem}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .75rem}
h2{font-size:1.125rem;margin:0 0 .5rem}
p{margin:0 0 1rem}
.intro{color:#374151}
form{margin:0}
.field{margin:0 0 1.25rem}
label{display:block;font-weight:600;margin:0 0 .25rem}
.hint{display:block;color:#374151;font-size:.9375rem;margin:0 0 .375rem}
.error{display:block;color:#b91c1c;font-weight:600;margin:0 0 .375rem}
input[type=text],input[type=password]{display:block;width:100%;font:inherit;padding:.625rem .75rem;color:#1a1a1a;background:#ffffff;border:2px solid #4b5563;border-radius:6px}
input[aria-invalid=true]{border-color:#b91c1c}
input.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.15em;text-transform:uppercase}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.625rem 1.25rem;border-radius:6px;border:2px solid #1d4ed8;cursor:pointer;text-decoration:none}
.primary{background:#1d4ed8;color:#ffffff}
.primary:hover{background:#1e40af;border-color:#1e40af}
.secondary{background:#ffffff;color:#1d4ed8}
.secondary:hover{background:#eff6ff}
a{color:#1d4ed8}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:3px}
input:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.primary:focus-visible{outline-color:#1a1a1a}
.summary{border:2px solid #b91c1c;border-radius:8px;padding:1rem;margin:0 0 1.5rem}
.summary h2{color:#b91c1c}
.summary ul{margin:0;padding-left:1.25rem}
.summary a{color:#b91c1c;font-weight:600}
.resend{border-top:1px solid #d1d5db;margin-top:2rem;padding-top:1.5rem}
@media (prefers-color-scheme:dark){html{background:#111827}}
`;
