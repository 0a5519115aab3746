## Dòng lệnh: sao lưu, khôi phục, chuyển dữ liệu giữa SQLite và PostgreSQL.

cli-backup-done = Đã sao lưu { $tables } bảng, { $rows } dòng vào { $file }.
cli-restore-done = Đã khôi phục { $tables } bảng, { $rows } dòng từ { $file } vào { $database }.
cli-migrate-done = Đã chép { $tables } bảng, { $rows } dòng từ { $from } sang { $to }; số dòng và mã băm của mọi bảng đều khớp.
cli-migrate-mismatch = Dữ liệu ở đích khác dữ liệu nguồn tại { $count } bảng: { $tables }. Đừng dùng cơ sở dữ liệu đích; hãy tìm nguyên nhân rồi chép lại với --force.
cli-target-not-empty = Cơ sở dữ liệu đích { $database } đã có dữ liệu (bảng { $table } có { $rows } dòng) nên không được ghi đè. Hãy dùng một cơ sở dữ liệu trống, hoặc thêm --force để xoá toàn bộ dữ liệu hiện có của nó trước khi chép vào.
cli-file-exists = Tệp { $file } đã tồn tại. Hãy chọn tên tệp khác, hoặc thêm --force để ghi đè tệp đó.
cli-file-missing = Không tìm thấy tệp sao lưu { $file }. Hãy kiểm tra lại đường dẫn.
cli-database-missing = Không tìm thấy tệp cơ sở dữ liệu SQLite { $file }. Hãy kiểm tra --data-dir hoặc --database-url; cơ sở dữ liệu của bản demo là data/demo.db.
cli-same-database = Nguồn và đích là cùng một cơ sở dữ liệu. Hãy chọn một đích khác.
cli-not-theodoi = { $database } không phải cơ sở dữ liệu của theodoi: không có bảng _sqlx_migrations.
cli-schema-older = { $database } có lược đồ phiên bản { $version }, cũ hơn phiên bản { $expected } của chương trình này. Hãy chạy `theodoi migrate` cho cơ sở dữ liệu đó trước.
cli-schema-newer = { $database } có lược đồ phiên bản { $version } do một bản theodoi mới hơn tạo ra. Hãy dùng bản theodoi đã tạo ra nó hoặc một bản mới hơn.

cli-column-table = Bảng
cli-column-rows = Số dòng
cli-column-hash = SHA-256
cli-column-source-rows = Dòng nguồn
cli-column-target-rows = Dòng đích
cli-column-source-hash = SHA-256 nguồn
cli-column-target-hash = SHA-256 đích
cli-column-result = Kết quả
cli-match = khớp
cli-mismatch = KHÁC

cli-progress-backup = Sao lưu
cli-progress-restore = Khôi phục
cli-progress-copy = Sao chép
cli-progress-verify = Kiểm tra
cli-progress-rows = dòng

cli-smtp-host-missing = Tuỳ chọn { $options } chỉ dùng được khi có --smtp-host. Hãy thêm --smtp-host (máy chủ SMTP gửi thư) hoặc bỏ các tuỳ chọn đó.
cli-smtp-from-missing = Thiếu --smtp-from: khi có --smtp-host phải có địa chỉ người gửi, ví dụ --smtp-from theodoi@vptw.dcs.vn.
cli-smtp-from-invalid = Địa chỉ người gửi --smtp-from { $value } không hợp lệ. Hãy nhập dạng theodoi@coquan.vn hoặc "Tên <theodoi@coquan.vn>".
cli-smtp-username-missing = Có --smtp-password nhưng thiếu --smtp-username. Hãy thêm tên đăng nhập SMTP, hoặc bỏ mật khẩu nếu máy chủ không yêu cầu đăng nhập.
cli-public-url-invalid = --public-url { $value } không hợp lệ: địa chỉ phải bắt đầu bằng http:// hoặc https://, ví dụ https://theodoi.vptw.dcs.vn.
cli-smtp-host-invalid = Không dùng được máy chủ SMTP --smtp-host { $value } với TLS: { $error }. Hãy nhập đúng tên máy chủ như trong chứng chỉ của nó.
