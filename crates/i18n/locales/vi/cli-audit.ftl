## Các lệnh `theodoi audit`: xác minh nhật ký kiểm toán và xuất điểm chốt có chữ ký.

cli-audit-key-unreadable = Không đọc được tệp khoá kiểm toán { $file }. Hãy chỉ ra khoá bằng --audit-key-file (hoặc THEODOI_AUDIT_KEY_FILE), hoặc khoá công khai bằng --audit-public-key.
cli-audit-key-invalid = Tệp { $file } không phải khoá kiểm toán của theodoi. Hãy dùng tệp do theodoi serve tạo ra, hoặc kết quả của lệnh theodoi audit public-key.
audit-verify-summary = Nhật ký kiểm toán của { $database }: { $entries } mục, { $checkpoints } điểm chốt đã lưu, gốc { $root }.
audit-verify-ok = Kết quả: mọi mục khớp với sự kiện của nó và với mọi điểm chốt; nhật ký không bị sửa đổi.
audit-verify-next-step = Nhật ký kiểm toán đã bị sửa đổi. Hãy giữ nguyên một bản sao cơ sở dữ liệu hiện tại và gửi báo cáo này cho cán bộ phụ trách an ninh.
audit-problem-entry-missing = Thiếu mục { $seq }: mục này đã bị xoá, hoặc các mục sau nó đã bị đánh số lại.
audit-problem-entry-inserted = Mục { $seq } đã bị chèn thêm (bảng { $table }, dòng { $row }).
audit-problem-row-missing = Mục { $seq }: dòng { $row } của bảng { $table } đã bị xoá.
audit-problem-entry-altered = Mục { $seq } đã bị sửa hoặc đổi thứ tự (bảng { $table }, dòng { $row }).
audit-problem-row-not-logged = Dòng { $row } của bảng { $table } không có mục nhật ký: dòng này được thêm vào ngoài hệ thống.
audit-problem-checkpoint-invalid = Điểm chốt đã lưu gồm { $size } mục không hợp lệ: { $reason }.
audit-problem-checkpoint-mismatch = { $size } mục đầu tiên khác với điểm chốt có chữ ký của chúng: một mục từ số { $first } trở đi đã bị viết lại.
audit-problem-checkpoint-beyond-log = Một điểm chốt có chữ ký gồm { $size } mục nhưng nhật ký chỉ còn { $entries } mục: các mục cuối đã bị xoá.
audit-exported-ok = Nhật ký là phần mở rộng của điểm chốt đã xuất gồm { $size } mục.
audit-exported-invalid = Điểm chốt đã xuất không hợp lệ: { $reason }.
audit-exported-beyond-log = Điểm chốt đã xuất gồm { $size } mục nhưng nhật ký chỉ còn { $entries } mục: đã có mục bị xoá.
audit-exported-inconsistent = Nhật ký không phải phần mở rộng của điểm chốt đã xuất gồm { $size } mục: lịch sử của nó đã bị viết lại.
audit-checkpoint-written = Đã ghi điểm chốt có chữ ký gồm { $size } mục vào { $file }.
audit-checkpoint-file-missing = Không tìm thấy tệp điểm chốt đã xuất { $file }. Hãy kiểm tra đường dẫn đưa cho --checkpoint.
audit-fault-columns-differ = số mục hoặc gốc đã lưu khác với nội dung có chữ ký
audit-fault-malformed-key = khoá không có dạng TÊN+MÃKHOÁ+BASE64
audit-fault-malformed-note = đây không phải văn bản có chữ ký gồm nguồn gốc, số mục và giá trị băm gốc
audit-fault-no-signature = không có chữ ký của khoá { $key }
audit-fault-invalid-signature = chữ ký không khớp với nội dung
