## Lệnh `theodoi check`: báo cáo kiểm tra tính toàn vẹn của cơ sở dữ liệu.

check-heading = Kiểm tra tính toàn vẹn của cơ sở dữ liệu { $database }
check-at = Thời điểm kiểm tra: { $at }
check-ran = Các phép kiểm tra đã chạy:
check-name-sqlite-integrity = Kiểm tra nội bộ của SQLite (PRAGMA integrity_check)
check-name-foreign-keys = Tham chiếu giữa các bảng: không có dòng nào trỏ tới dòng không tồn tại
check-name-event-sequences = Sự kiện của mỗi nhiệm vụ và mỗi văn bản được đánh số liên tục từ 1
check-name-versions = Phiên bản của nhiệm vụ bằng số sự kiện; phiên bản của văn bản bằng số lần đăng ký và đính chính
check-name-read-model = Bảng dữ liệu đọc (nhiệm vụ, đơn vị phối hợp, nghĩa vụ, tiến độ tổng hợp, số nhiệm vụ của văn bản) khớp với kết quả phát lại sự kiện
check-name-task-counts = Bảng số liệu tổng hợp nhiệm vụ của bảng điều khiển khớp với kết quả đếm lại các nhiệm vụ
check-counted = Đã kiểm tra { $documents } văn bản, { $tasks } nhiệm vụ, { $events } sự kiện.
check-sealed-unchecked = Chưa kiểm tra lại lịch sử của { $count } nhiệm vụ Mật, Tối mật vì không có khoá của vùng bảo mật; hãy chạy lại với --secure-key-file để kiểm tra cả các nhiệm vụ này.
check-clean = Kết quả: không phát hiện sai lệch nào.
check-found = Kết quả: phát hiện { $count } sai lệch.
check-next-step = Hãy sao lưu cơ sở dữ liệu trước khi sửa chữa và gửi báo cáo này cho bộ phận kỹ thuật.
check-finding-sqlite-integrity = SQLite báo lỗi: { $message }
check-finding-foreign-key = Bảng { $table }: { $rows } dòng có cột { $column } trỏ tới dòng không tồn tại trong bảng { $parent }.
check-finding-task-without-events = Nhiệm vụ số { $task } không có sự kiện nào.
check-finding-task-event-gap = Nhiệm vụ số { $task }: thiếu sự kiện số { $expected } (gặp số { $found }).
check-finding-document-event-gap = Văn bản số { $document }: thiếu sự kiện số { $expected } (gặp số { $found }).
check-finding-task-version = Nhiệm vụ số { $task } có phiên bản { $version } nhưng có { $events } sự kiện.
check-finding-document-version = Văn bản số { $document } có phiên bản { $version } nhưng có { $revisions } lần đăng ký và đính chính.
check-finding-task-replay = Nhiệm vụ số { $task }: không phát lại được các sự kiện ({ $error }).
check-finding-task-row = Nhiệm vụ số { $task }: bảng tasks khác với kết quả phát lại ở cột { $columns }.
check-finding-task-table = Nhiệm vụ số { $task }: bảng { $table } khác với kết quả phát lại.
check-finding-document-counts = Văn bản số { $document }: cột { $columns } khác với số nhiệm vụ đếm được.
check-finding-task-counts = Bảng { $table }, khoá { $key }: lưu { $stored } nhiệm vụ nhưng đếm lại được { $recounted }.
