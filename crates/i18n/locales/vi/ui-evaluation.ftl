## Giao diện: đánh giá báo cáo tiến độ và đôn đốc của cơ quan theo dõi.

ui-evaluation-title = Đánh giá và đôn đốc
ui-evaluation-form-title = Đánh giá báo cáo tiến độ
ui-evaluation-pending = Báo cáo chờ đánh giá
ui-evaluation-pending-hint = Đánh giá mỗi báo cáo trong 3 ngày làm việc kể từ khi báo cáo được phê duyệt; báo cáo sắp đến hạn đứng trước.
ui-evaluation-none = Không có báo cáo nào chờ đánh giá.
ui-evaluation-approved-at = Phê duyệt lúc { $at }
ui-evaluation-comment-hint = Không bắt buộc. Khi đánh giá “Chưa đạt yêu cầu”, nên nêu nội dung cơ quan cần sửa hoặc bổ sung.
ui-evaluation-submit = Ghi nhận đánh giá
ui-evaluation-urge-heading = Nhiệm vụ cần đôn đốc
ui-evaluation-urge-hint = Nhiệm vụ do cơ quan theo dõi mà cơ quan chủ trì đang chậm xác nhận tiếp nhận hoặc chậm báo cáo. Mỗi lần đôn đốc được ghi lại cùng hình thức đôn đốc.
ui-evaluation-urge-none = Không có nhiệm vụ nào đang chậm.
ui-evaluation-urge-more = Danh sách chỉ hiển thị 100 nhiệm vụ có thời hạn sớm nhất; dùng bộ lọc của danh sách nhiệm vụ để xem các nhiệm vụ khác.
ui-evaluation-urge-open = Ghi nhận đôn đốc
ui-evaluation-urge-reason = Nội dung đôn đốc
ui-evaluation-urge-submit = Ghi nhận
