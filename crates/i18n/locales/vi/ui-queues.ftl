## Giao diện: hàng đợi công việc của Văn phòng Trung ương Đảng.

ui-queues-entry-intro = Văn bản chưa nhập hoặc chưa chuyển giao hết nhiệm vụ. Nhiệm vụ phải được phân loại, nhập và chuyển giao trong 3 ngày làm việc kể từ ngày ban hành văn bản; văn bản sắp đến hạn xếp trước.
ui-queues-entry-empty = Không có văn bản nào chờ nhập, chuyển giao nhiệm vụ.
ui-queues-entered = Nhiệm vụ đã chuyển giao
ui-queues-no-tasks-yet = Chưa nhập nhiệm vụ
ui-queues-transferred-of = { $transferred } / { $total } nhiệm vụ

ui-queues-feedback-intro = Nhiệm vụ bị cơ quan được giao phản hồi, trả lại vì nội dung chưa đúng hoặc không thuộc thẩm quyền. Phản hồi phải được xác nhận và xử lý trong 1 ngày làm việc kể từ khi nhận; nhiệm vụ sắp đến hạn xếp trước. Xử lý xong, nhiệm vụ được chuyển giao lại.
ui-queues-feedback-empty = Không có phản hồi nào chờ xử lý.
ui-queues-handling-due = Hạn xử lý
ui-queues-returned-by = Cơ quan phản hồi
ui-queues-feedback-reason = Nội dung phản hồi
ui-queues-feedback = Phản hồi
ui-queues-no-pending-feedback = Nhiệm vụ không còn phản hồi chờ xử lý.
ui-queues-kind-wrong-content = Nội dung nhiệm vụ chưa đúng
ui-queues-kind-outside-authority = Không thuộc thẩm quyền
ui-queues-decision-adjust = Điều chỉnh nhiệm vụ, giao lại cho cơ quan chủ trì
ui-queues-decision-correct = Sửa thông tin nhập sai, giao lại cho cơ quan chủ trì
ui-queues-decision-reassign = Giao cho cơ quan chủ trì khác
ui-queues-decision-reject = Không chấp nhận phản hồi, giữ nguyên nhiệm vụ
ui-queues-decision-missing = Chưa chọn “{ $field }”. Vui lòng chọn một hướng xử lý.
ui-queues-changes = Nội dung điều chỉnh, sửa
ui-queues-changes-hint = Chỉ áp dụng khi điều chỉnh hoặc sửa. Sửa trực tiếp thông tin cần thay đổi; thông tin giữ nguyên không bị ghi lại.
ui-queues-classified-no-content = Nhiệm vụ mật không lưu nội dung và sản phẩm dự kiến.
ui-queues-reason-hint = Bắt buộc khi không chấp nhận phản hồi; được lưu vào lịch sử nhiệm vụ.
ui-queues-handle = Xác nhận xử lý
ui-queues-handled = Đã xử lý phản hồi về nhiệm vụ { $number } của văn bản { $symbol }; nhiệm vụ đã được chuyển giao lại.
