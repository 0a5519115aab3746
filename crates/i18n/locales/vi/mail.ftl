# Thư điện tử thông báo. Thư về nhiệm vụ Mật, Tối mật chỉ dùng mail-attention-*: không nêu
# tiêu đề, số ký hiệu, nội dung hay tên cơ quan.

mail-attention-subject = [theodoi] Có nhiệm vụ cần đồng chí quan tâm
mail-attention-body =
    Có một nhiệm vụ cần đồng chí quan tâm.
    Đề nghị đồng chí đăng nhập hệ thống để xem: { $link }

    Thư này do hệ thống theo dõi, đánh giá nhiệm vụ gửi tự động; xin đừng trả lời thư này.

mail-transferred-subject = [theodoi] Nhiệm vụ được chuyển giao: { $symbol }
mail-transferred-intro = Nhiệm vụ dưới đây đã được chuyển giao cho { $body } lúc { $at }. Đề nghị xác nhận tiếp nhận trong 4 giờ làm việc.
mail-urged-subject = [theodoi] Đôn đốc thực hiện nhiệm vụ: { $symbol }
mail-urged-intro = { $body } được đôn đốc thực hiện nhiệm vụ dưới đây lúc { $at }.
mail-update-returned-subject = [theodoi] Báo cáo tiến độ bị trả lại: { $symbol }
mail-update-returned-intro = Báo cáo tiến độ của { $body } về nhiệm vụ dưới đây đã bị trả lại lúc { $at }. Đề nghị đầu mối cập nhật sửa và gửi lại.
mail-update-approved-subject = [theodoi] Báo cáo tiến độ đã được phê duyệt: { $symbol }
mail-update-approved-intro = Báo cáo tiến độ của { $body } về nhiệm vụ dưới đây đã được phê duyệt lúc { $at }. Cơ quan theo dõi đánh giá báo cáo trong 3 ngày làm việc.

mail-task-details =
    Văn bản: { $symbol } – { $title }
    Nội dung nhiệm vụ: { $content }
    Thời hạn: { $deadline }
    Xem nhiệm vụ: { $link }
mail-no-deadline = không có thời hạn
mail-footer = Thư này do hệ thống theo dõi, đánh giá nhiệm vụ gửi tự động; xin đừng trả lời thư này.

mail-digest-subject = [theodoi] Việc cần làm ngày { $day }
mail-digest-intro = Việc của { $body } đã quá hạn hoặc đến hạn trong 2 ngày tới, tính đến { $at }:
mail-digest-overdue = Quá hạn:
mail-digest-due-soon = Sắp đến hạn:
mail-digest-line = - { $symbol }: { $content } — { $kind }, hạn { $due } ({ $link })
mail-digest-hidden = Ngoài ra có { $count } nhiệm vụ khác cần đồng chí quan tâm; đề nghị đăng nhập để xem.
mail-digest-link = Xem việc cần làm: { $link }
