## Bảng điều khiển: số liệu tổng hợp, nghĩa vụ cần xử lý, kết quả theo cơ quan, diễn biến theo tháng.

ui-dashboard-scope-national = Phạm vi số liệu: toàn quốc
ui-dashboard-scope-body = Phạm vi số liệu: { $body } và các đơn vị trực thuộc
ui-dashboard-updated = số liệu tính đến { $time }
ui-dashboard-stale = Chưa tải được số liệu mới. Trang sẽ tự thử lại; số liệu đang hiển thị có thể chưa cập nhật.

ui-dashboard-states-title = Kết quả thực hiện nhiệm vụ
ui-dashboard-states-total = Tổng số nhiệm vụ đang theo dõi: { $count }
ui-dashboard-with-deadline = Nhiệm vụ có thời hạn
ui-dashboard-without-deadline = Nhiệm vụ không có thời hạn

ui-dashboard-obligations-title = Nghĩa vụ cần xử lý
ui-dashboard-obligations-overdue = Đã quá hạn, chưa thực hiện
ui-dashboard-obligations-due-soon = Đến hạn trong { $hours } giờ tới
ui-dashboard-obligations-overdue-list = Quá hạn lâu nhất
ui-dashboard-obligations-due-soon-list = Sắp đến hạn
ui-dashboard-obligations-none = Không có nghĩa vụ nào quá hạn hoặc sắp đến hạn.
ui-dashboard-obligations-breached-tasks = Xem các nhiệm vụ có nghĩa vụ vi phạm thời hạn
ui-dashboard-responsible = Trách nhiệm: { $body }
ui-dashboard-due-at = Hạn { $time }
ui-dashboard-classified = Nhiệm vụ mật (không hiển thị nội dung)

ui-dashboard-deadlines-title = Sắp đến thời hạn hoàn thành
ui-dashboard-deadlines-within = Nhiệm vụ chưa hoàn thành, đến hạn trong { $days } ngày tới
ui-dashboard-deadlines-nearest = Đến hạn sớm nhất
ui-dashboard-deadlines-none = Không có nhiệm vụ nào đến hạn trong { $days } ngày tới.
ui-dashboard-deadline = Thời hạn { $date }
ui-dashboard-lead = Chủ trì: { $body }

ui-dashboard-classes-title = Phân loại nhiệm vụ
ui-dashboard-classes-unit = Theo đơn vị thực hiện
ui-dashboard-classes-priority = Theo mức độ ưu tiên
ui-dashboard-count = Số nhiệm vụ
ui-dashboard-share = Tỷ lệ

ui-dashboard-bodies-title = Kết quả theo cơ quan chủ trì
ui-dashboard-bodies-caption = Số nhiệm vụ, số hoàn thành đúng hạn, hoàn thành quá hạn, quá hạn và tỷ lệ đúng hạn của từng cơ quan chủ trì
ui-dashboard-bodies-body = Cơ quan chủ trì
ui-dashboard-bodies-total = Số nhiệm vụ
ui-dashboard-bodies-on-time = Hoàn thành đúng hạn
ui-dashboard-bodies-late = Hoàn thành quá hạn
ui-dashboard-bodies-overdue = Quá hạn, chưa hoàn thành
ui-dashboard-bodies-rate = Tỷ lệ đúng hạn
ui-dashboard-bodies-own = { $body } (trực tiếp chủ trì)
ui-dashboard-bodies-outside = Cơ quan khác (đơn vị mình phối hợp, theo dõi hoặc giao)
ui-dashboard-bodies-sum = Tổng cộng
ui-dashboard-bodies-none = Chưa có nhiệm vụ nào được chuyển giao.
ui-dashboard-bodies-rate-hint = Tỷ lệ đúng hạn = số nhiệm vụ hoàn thành đúng hạn ÷ (số nhiệm vụ có thời hạn đã hoàn thành + số nhiệm vụ quá hạn chưa hoàn thành). Nhiệm vụ còn trong hạn và nhiệm vụ không có thời hạn chưa tính vào tỷ lệ.
ui-dashboard-sort-hint = Chọn tên cột có liên kết để sắp xếp bảng.

ui-dashboard-trend-title = Diễn biến 12 tháng gần nhất
ui-dashboard-trend-caption = Số nhiệm vụ hoàn thành đúng hạn, hoàn thành quá hạn và chuyển sang quá hạn trong từng tháng
ui-dashboard-trend-month = Tháng
ui-dashboard-trend-on-time = Hoàn thành đúng hạn
ui-dashboard-trend-late = Hoàn thành quá hạn
ui-dashboard-trend-overdue = Chuyển sang quá hạn
ui-dashboard-trend-hint = Nhiệm vụ hoàn thành được tính vào tháng của ngày hoàn thành. Nhiệm vụ không hoàn thành đúng hạn được tính chuyển sang quá hạn vào tháng của ngày liền sau thời hạn.
