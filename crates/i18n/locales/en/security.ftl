## Login, lockout, the second factor (TOTP) and protected fields.

auth-login-locked = Too many failed logins. Please try again after { $time } on { $date }.
auth-totp-required = This account needs a 6-digit code from an authenticator app. Please enter the code.
auth-totp-invalid = The code is wrong or was already used. Please enter the new code your authenticator app shows.
auth-totp-enrolment-required = This account must use an authenticator code but has no authenticator enrolled. Please log in once on the web page to enrol one, then send the code in the “totp” field.
auth-login-expired = The login waiting for a code has expired. Please log in again.
field-totp = Code
ui-login-code-title = Enter your code
ui-login-code-intro = Open your authenticator app (for example Google Authenticator or FreeOTP) and enter the 6-digit code it shows for the account { $username }.
ui-login-code-submit = Confirm
ui-totp-enrol-title = Set up an authenticator app
ui-totp-enrol-intro = The account { $username } needs a code at login. Scan the QR code with an authenticator app, or type in the secret key below, then enter the 6-digit code the app shows.
ui-totp-enrol-optional = You can turn on codes to protect your account: after you set it up, every login needs a 6-digit code from your authenticator app as well.
ui-totp-secret = Secret key
ui-totp-uri = otpauth address
ui-totp-qr-alt = QR code with the secret key for an authenticator app
ui-totp-enrolled = Your account uses codes from an authenticator app. If you lose the app, ask an administrator to reset it.
ui-totp-confirmed = Codes are now on. From your next login, enter the code from your authenticator app.
ui-nav-totp = Authenticator
field-protected = “{ $field }” may not be sent with this request: only an administrator changes it. Please remove “{ $field }” from the request.
