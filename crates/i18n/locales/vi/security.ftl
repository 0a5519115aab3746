## Login, lockout, the second factor (TOTP) and protected fields.

auth-login-locked = Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau { $time } ngày { $date }.
auth-totp-required = Tài khoản này cần mã xác thực 6 chữ số từ ứng dụng xác thực. Vui lòng nhập mã xác thực.
auth-totp-invalid = Mã xác thực không đúng hoặc đã được dùng. Vui lòng nhập mã mới đang hiển thị trong ứng dụng xác thực.
auth-totp-enrolment-required = Tài khoản này phải dùng mã xác thực nhưng chưa đăng ký ứng dụng xác thực. Vui lòng đăng nhập một lần trên trang web để đăng ký, rồi gửi kèm mã trong trường “totp”.
auth-login-expired = Phiên đăng nhập chờ mã xác thực đã hết hạn. Vui lòng đăng nhập lại.
field-totp = Mã xác thực
ui-login-code-title = Nhập mã xác thực
ui-login-code-intro = Mở ứng dụng xác thực (ví dụ Google Authenticator, FreeOTP) và nhập mã 6 chữ số đang hiển thị cho tài khoản { $username }.
ui-login-code-submit = Xác nhận
ui-totp-enrol-title = Đăng ký ứng dụng xác thực
ui-totp-enrol-intro = Tài khoản { $username } cần mã xác thực khi đăng nhập. Quét mã QR bằng ứng dụng xác thực, hoặc nhập khóa bí mật dưới đây, rồi nhập mã 6 chữ số mà ứng dụng hiển thị.
ui-totp-enrol-optional = Bạn có thể bật mã xác thực để bảo vệ tài khoản: sau khi đăng ký, mỗi lần đăng nhập cần thêm mã 6 chữ số từ ứng dụng xác thực.
ui-totp-secret = Khóa bí mật
ui-totp-uri = Địa chỉ otpauth
ui-totp-qr-alt = Mã QR chứa khóa bí mật cho ứng dụng xác thực
ui-totp-enrolled = Tài khoản của bạn đã dùng mã xác thực. Nếu mất ứng dụng xác thực, hãy đề nghị quản trị viên đặt lại.
ui-totp-confirmed = Đã bật mã xác thực. Từ lần đăng nhập sau, hãy nhập mã từ ứng dụng xác thực.
ui-nav-totp = Mã xác thực
field-protected = Không được gửi “{ $field }” trong yêu cầu này: chỉ quản trị viên được thay đổi trường này. Vui lòng bỏ trường “{ $field }” khỏi yêu cầu.
