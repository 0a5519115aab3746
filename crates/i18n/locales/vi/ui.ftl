## Giao diện: khung trang, đăng nhập, lỗi.

ui-app-name = Hệ thống theo dõi, đánh giá nhiệm vụ
ui-skip-to-content = Chuyển đến nội dung chính
ui-logout = Đăng xuất
ui-nav-label = Điều hướng chính
ui-nav-dashboard = Bảng điều khiển
ui-nav-inbox = Việc cần làm
ui-nav-evaluation = Chờ đánh giá
ui-nav-tasks = Nhiệm vụ
ui-nav-documents = Văn bản
ui-nav-new-document = Nhập văn bản mới
ui-nav-entry-queue = Văn bản chờ nhập
ui-nav-feedback-queue = Phản hồi chờ xử lý
ui-login-title = Đăng nhập
ui-login-subtitle = Theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ được giao
ui-login-submit = Đăng nhập
ui-error-title = Không thực hiện được yêu cầu
ui-error-not-found-title = Không tìm thấy trang
ui-error-forbidden-title = Không có quyền truy cập
ui-error-server-title = Hệ thống gặp lỗi
ui-error-id = Mã lỗi để báo quản trị viên
ui-error-home = Về trang chủ

ui-date-placeholder = ngày/tháng/năm
ui-countdown-left = Còn { $t }
ui-countdown-over = Quá hạn { $t }
ui-countdown-day = ngày
ui-countdown-hour = giờ
ui-countdown-minute = phút
