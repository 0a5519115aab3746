## Lỗi nghiệp vụ. Mỗi mã lỗi ổn định cũng là mã thông điệp ở đây.

validation-failed = Dữ liệu chưa hợp lệ ở { $count } trường. Vui lòng sửa các trường được đánh dấu.
field-required = Chưa nhập “{ $field }”. Vui lòng nhập “{ $field }”.
field-unknown = Yêu cầu có trường “{ $field }” mà thao tác này không nhận. Vui lòng bỏ trường đó.
field-too-long = “{ $field }” dài { $length } ký tự, vượt quá giới hạn { $max } ký tự. Vui lòng rút gọn.
field-too-many = “{ $field }” có quá nhiều mục; tối đa { $max } mục.
field-out-of-range = “{ $field }” phải nằm trong khoảng { $min } đến { $max }.
field-invalid = Giá trị của “{ $field }” không hợp lệ. Vui lòng kiểm tra lại.
field-wrong-type = “{ $field }” phải là { $expected }.
field-only-one-of = Chỉ nhập một trong hai: “{ $field }” hoặc “{ $other }”.
field-instant-invalid = Giá trị “{ $value }” của “{ $field }” không phải thời điểm hợp lệ. Vui lòng nhập theo RFC 3339, ví dụ 2026-02-13T09:00:00+07:00.
task-deadline-by-extension = Nhiệm vụ đã được chuyển giao nên thời hạn chỉ thay đổi bằng thao tác gia hạn (có lý do và được lưu lịch sử).
task-lead-by-feedback = Nhiệm vụ đã được chuyển giao nên cơ quan chủ trì chỉ thay đổi khi xử lý phản hồi (giao lại) hoặc sau khi thu hồi nhiệm vụ.
task-no-cleared-recipient = Cơ quan { $body } chưa có đầu mối nào được tiếp cận thông tin độ “{ $level }”, nên không ai nhận được nhiệm vụ này. Vui lòng đề nghị quản trị viên cấp quyền cho đầu mối của cơ quan trước khi chuyển giao.
type-number = một số nguyên
type-count = một số nguyên không âm (0, 1, 2…)
type-boolean = true hoặc false
type-text = một chuỗi ký tự
type-list = một danh sách
type-object = một đối tượng JSON
field-not-one-of = Giá trị của “{ $field }” không hợp lệ. Vui lòng chọn một trong các giá trị: { $allowed }.
field-date-invalid = Giá trị “{ $value }” của “{ $field }” không phải ngày hợp lệ. Vui lòng nhập theo dạng năm-tháng-ngày (YYYY-MM-DD), ví dụ 2026-03-31.
date-before-min = “{ $field }” không được trước ngày { $min }.
update-draft-open = Đang có báo cáo tiến độ số { $update } chưa được phê duyệt. Vui lòng hoàn thiện hoặc sửa báo cáo đó thay vì tạo báo cáo mới.
auth-csrf-invalid = Yêu cầu thiếu hoặc sai mã chống giả mạo (X-CSRF-Token) của phiên đăng nhập. Vui lòng tải lại trang; ứng dụng gọi API cần gửi mã csrf_token nhận được khi đăng nhập.
date-out-of-range = “{ $field }” phải từ ngày { $min } đến ngày { $max }.
reason-required = Thao tác này cần nêu lý do. Vui lòng nhập lý do.
symbol-invalid = Số, ký hiệu “{ $value }” không đúng mẫu. Vui lòng nhập theo mẫu số-ký hiệu loại văn bản/cơ quan ban hành, ví dụ 57-NQ/TW, 204-QĐ/TW.
symbol-kind-mismatch = Ký hiệu “{ $abbreviation }” không khớp với loại văn bản đã chọn; loại này dùng ký hiệu { $expected }.
symbol-duplicate = Số, ký hiệu { $symbol } đã được dùng cho một văn bản ban hành năm { $year }. Vui lòng kiểm tra lại số, ký hiệu.
document-top-secret-refused = Hệ thống không tiếp nhận văn bản Tuyệt mật. Văn bản Tuyệt mật được quản lý ngoài hệ thống theo quy định về bảo vệ bí mật nhà nước; không có thông tin nào của văn bản này được lưu.
secure-zone-unavailable = Máy chủ chưa được cấu hình khoá của vùng bảo mật nên không thể lưu hoặc đọc văn bản Mật, Tối mật. Đề nghị quản trị viên cấu hình khoá (tuỳ chọn --secure-key-file) rồi thử lại.
document-classify-after-registration = Không thể nâng độ mật của văn bản Thường đã đăng ký lên Mật hoặc Tối mật, vì lịch sử của văn bản đã lưu thông tin ở dạng thường. Vui lòng nhập lại văn bản với đúng độ mật.
field-forbidden-for-level = Văn bản có độ mật “{ $level }” không được lưu “{ $field }”. Vui lòng để trống trường này.
update-classified-status-only = Nhiệm vụ thuộc văn bản mật chỉ được báo cáo kết quả “Đã hoàn thành” hoặc “Đã thực hiện nhưng chưa hoàn thành”, không báo cáo chi tiết tiến độ.
document-not-found = Không tìm thấy văn bản.
document-has-tasks = Văn bản đã có nhiệm vụ nên không thể thay đổi thông tin này.
group-not-found = Không tìm thấy nhóm nhiệm vụ trong văn bản này.
org-not-found = Không tìm thấy cơ quan, đơn vị có mã số { $id } (“{ $field }”). Vui lòng chọn cơ quan trong danh sách.
org-wrong-category = Cơ quan được chọn ở “{ $field }” không thuộc nhóm { $expected }. Vui lòng chọn cơ quan khác.
org-code-invalid = Mã đơn vị “{ $value }” không hợp lệ. Mã gồm 2–32 chữ cái không dấu, chữ số hoặc dấu gạch ngang, bắt đầu bằng chữ cái, ví dụ HNI-BTG.
org-code-duplicate = Mã đơn vị { $value } đã được dùng. Vui lòng chọn mã khác.
org-not-subordinate = “{ $field }” phải là đơn vị trực thuộc cơ quan được giao nhiệm vụ.
org-lead-also-coordinating = Cơ quan chủ trì không đồng thời là cơ quan phối hợp. Vui lòng bỏ cơ quan chủ trì khỏi danh sách phối hợp.
user-not-found = Không tìm thấy người dùng.
username-invalid = Tên đăng nhập gồm 3–64 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới.
username-taken = Tên đăng nhập { $value } đã có người dùng. Vui lòng chọn tên khác.
email-invalid = Địa chỉ thư điện tử không hợp lệ. Nhập dạng ten@coquan.vn, không có dấu cách; để trống để bỏ địa chỉ.
password-too-short = Mật khẩu phải có ít nhất { $min } ký tự.
catalogue-unknown-code = Giá trị “{ $value }” không có trong danh mục { $axis ->
        [executing_unit] đơn vị thực hiện
        [scope] phạm vi
        [priority] mức độ ưu tiên
        [other] loại khác
       *[unknown] { $axis }
    } hoặc đã ngừng sử dụng. Vui lòng chọn giá trị trong danh mục.
catalogue-code-invalid = Mã danh mục “{ $value }” không hợp lệ. Mã gồm 2–40 chữ thường không dấu, chữ số hoặc dấu gạch dưới.
catalogue-code-duplicate = Mã danh mục { $value } đã có. Vui lòng chọn mã khác.
catalogue-axis-unknown = Không có danh mục phân loại “{ $value }”.
task-not-found = Không tìm thấy nhiệm vụ.
task-wrong-state = Không thể { $action } khi nhiệm vụ đang ở trạng thái “{ $status }”.
task-deadline-before-issue = Thời hạn không được trước ngày ban hành văn bản ({ $min }).
task-deadline-after-parent = Thời hạn của nhiệm vụ giao đơn vị trực thuộc không được sau thời hạn của nhiệm vụ gốc ({ $max }).
task-no-deadline = Nhiệm vụ không có thời hạn nên không áp dụng thao tác này.
task-extension-not-later = Thời hạn mới phải sau thời hạn hiện tại ({ $current }).
task-not-lead-body = Chỉ cơ quan chủ trì nhiệm vụ mới thực hiện được thao tác này.
task-nothing-changed = Không có thay đổi nào so với dữ liệu hiện tại.
task-subtask-depth = Nhiệm vụ đã giao cho đơn vị trực thuộc không thể tiếp tục giao xuống cấp dưới nữa.
update-not-found = Không tìm thấy báo cáo tiến độ số { $update }.
update-own-draft = Người phê duyệt không được phê duyệt báo cáo do chính mình soạn hoặc sửa. Vui lòng để đầu mối phê duyệt khác phê duyệt.
update-not-awaiting-approval = Báo cáo tiến độ số { $update } không ở trạng thái chờ phê duyệt.
update-not-approved = Báo cáo tiến độ số { $update } chưa được phê duyệt nên chưa thể đánh giá.
update-already-evaluated = Báo cáo tiến độ số { $update } đã được đánh giá.
update-status-percent-mismatch = Tỷ lệ hoàn thành không khớp với tình trạng: “Chưa thực hiện” là 0%, “Đang thực hiện” dưới 100%, “Đã hoàn thành” là 100%.
update-completion-date-required = Vui lòng nhập ngày kết thúc thực hiện.
update-completion-date-in-future = Ngày kết thúc thực hiện không được sau ngày hôm nay ({ $max }).
update-completion-date-before-transfer = Ngày kết thúc thực hiện không được trước ngày chuyển giao nhiệm vụ ({ $min }).
update-completion-date-forbidden = Chỉ nhập ngày kết thúc thực hiện khi báo cáo đã hoàn thành hoặc đã thực hiện nhưng chưa hoàn thành.
feedback-not-pending = Nhiệm vụ không có phản hồi đang chờ xử lý.
auth-role-required = Thao tác này cần vai trò: { $roles }. Tài khoản của bạn không có vai trò đó.
auth-not-your-body = Thao tác này thuộc thẩm quyền của cơ quan khác.
auth-clearance-too-low = Bạn không có quyền truy cập thông tin ở độ mật này.
version-conflict = Dữ liệu đã được người khác thay đổi sau khi bạn mở (phiên bản hiện tại: { $current }). Vui lòng tải lại để xem thay đổi rồi thực hiện lại; nội dung bạn nhập chưa bị mất.
calendar-year-invalid = Năm { $value } nằm ngoài phạm vi lịch hỗ trợ (1900–2199).
calendar-hours-invalid = Giờ làm việc “{ $value }” không hợp lệ. Vui lòng nhập theo mẫu 08:00-12:00,13:00-17:00.
calendar-day-outside-year = Ngày { $value } không thuộc năm { $year }.
calendar-day-duplicate = Ngày { $value } được nhập hai lần.

## Lỗi giao tiếp.

request-invalid-json = Nội dung yêu cầu không phải JSON hợp lệ (lỗi ở dòng:cột { $detail }). Vui lòng kiểm tra cú pháp JSON.
request-unsupported-media = Yêu cầu phải gửi dữ liệu dạng JSON (Content-Type: application/json).
request-too-large = Nội dung yêu cầu quá lớn.
request-invalid-query = Tham số truy vấn không hợp lệ: { $detail }
request-if-match-invalid = Tiêu đề If-Match phải là số phiên bản, ví dụ "3".
request-idempotency-key-invalid = Idempotency-Key phải dài 1–200 ký tự in được.
request-idempotency-key-reused = Idempotency-Key này đã được dùng cho một yêu cầu khác. Vui lòng dùng khoá mới cho mỗi yêu cầu tạo mới.
request-cursor-invalid = Con trỏ phân trang không hợp lệ. Vui lòng bắt đầu lại từ trang đầu.
auth-required = Vui lòng đăng nhập.
auth-login-failed = Tên đăng nhập hoặc mật khẩu không đúng.
auth-account-disabled = Tài khoản đã bị khoá. Vui lòng liên hệ quản trị viên.
not-found = Không tìm thấy trang hoặc dữ liệu yêu cầu.
method-not-allowed = Phương thức này không được hỗ trợ tại địa chỉ này.
internal-error = Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại; nếu vẫn lỗi, báo cho quản trị viên mã lỗi { $id }.
service-unavailable = Hệ thống tạm thời không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.

## Tên trường.

field-kind = Loại văn bản
field-symbol = Số, ký hiệu
field-title = Tên văn bản
field-issue-date = Ngày ban hành
field-signer = Người ký
field-issuing-body = Cơ quan tham mưu, ban hành
field-assigning-authority = Cấp giao nhiệm vụ
field-monitoring-body = Cơ quan theo dõi, đôn đốc
field-confidentiality = Độ mật
field-summary = Trích yếu
field-content = Nội dung nhiệm vụ
field-expected-products = Sản phẩm dự kiến
field-lead-body = Cơ quan chủ trì
field-coordinating-bodies = Cơ quan phối hợp
field-deadline = Thời hạn
field-report-period = Kỳ báo cáo
field-executing-unit = Đơn vị thực hiện
field-scope = Phạm vi
field-scope-detail = Ngành, lĩnh vực hoặc địa bàn
field-priority = Mức độ ưu tiên
field-other = Loại khác
field-status = Tình trạng
field-percent = Tỷ lệ hoàn thành
field-completion-date = Ngày kết thúc thực hiện
field-results = Kết quả
field-products = Sản phẩm
field-name = Tên
field-file = Tệp đính kèm
field-difficulties = Khó khăn, vướng mắc
field-proposals = Đề xuất, kiến nghị
field-reason = Lý do
field-comment = Nhận xét
field-rating = Mức đánh giá
field-proposed = Thời hạn đề nghị
field-to = Cơ quan hoặc thời hạn mới
field-due = Hạn báo cáo
field-code = Mã
field-name-vi = Tên tiếng Việt
field-name-en = Tên tiếng Anh
field-username = Tên đăng nhập
field-password = Mật khẩu
field-roles = Vai trò
field-clearance = Mức được tiếp cận thông tin mật
field-group-id = Nhóm nhiệm vụ
field-channel = Hình thức đôn đốc
field-year = Năm
field-hours = Giờ làm việc
field-days = Ngày nghỉ, ngày làm bù
field-date = Ngày
field-parent-id = Cơ quan cấp trên
field-language = Ngôn ngữ
field-email = Thư điện tử
field-json = Nội dung yêu cầu (JSON)
field-include-subunits = Gồm cả đơn vị trực thuộc
field-document = Văn bản
field-group = Nhóm nhiệm vụ
field-subtasks = Nhiệm vụ giao đơn vị trực thuộc
field-has-deadline = Có thời hạn
field-breached = Có nghĩa vụ vi phạm thời hạn
field-q = Từ khoá tìm kiếm
field-cursor = Con trỏ phân trang
field-lang = Ngôn ngữ
field-awaiting-entry = Chờ nhập, chuyển giao
field-working-days = Số ngày làm việc
field-disabled = Khoá tài khoản
field-active = Đang sử dụng
field-position = Thứ tự
field-reassign-to = Cơ quan được giao lại
field-new-deadline = Thời hạn mới
field-body = Cơ quan tham gia
field-org = Cơ quan, đơn vị
field-parent = Cơ quan cấp trên
field-feedback-kind = Loại phản hồi
field-obligation-kind = Loại nghĩa vụ
field-valid-days = Số ngày hiệu lực
field-days-kind = Loại ngày
field-days-date = Ngày
field-days-name-vi = Tên ngày (tiếng Việt)
field-days-name-en = Tên ngày (tiếng Anh)
field-category = Nhóm cơ quan
field-org-id = Cơ quan, đơn vị
field-full-name = Họ và tên
field-issued-from = Ngày ban hành từ
field-issued-to = Ngày ban hành đến
field-deadline-from = Thời hạn từ
field-deadline-to = Thời hạn đến
field-result-state = Kết quả thực hiện
field-sort = Cách sắp xếp
field-limit = Số dòng mỗi trang
field-on = Ngày xem kết quả
field-within-hours = Số giờ sắp đến hạn
field-start = Thời điểm bắt đầu
field-working-hours = Số giờ làm việc
field-decision = Hướng xử lý

## Độ mật.

confidentiality-normal = Thường
confidentiality-confidential = Mật
confidentiality-secret = Tối mật
confidentiality-top-secret = Tuyệt mật

## Vai trò.

role-central-office = Văn phòng Trung ương Đảng
role-updater = Đầu mối cập nhật
role-approver = Đầu mối phê duyệt
role-monitoring-officer = Cán bộ theo dõi, đôn đốc
role-inspector = Cán bộ kiểm tra
role-leader-viewer = Lãnh đạo
role-administrator = Quản trị hệ thống

## Loại văn bản.

document-kind-resolution = Nghị quyết
document-kind-directive = Chỉ thị
document-kind-conclusion = Kết luận
document-kind-notice = Thông báo
document-kind-meeting-conclusion-notice = Thông báo kết luận cuộc họp
document-kind-programme = Chương trình
document-kind-plan = Kế hoạch
document-kind-scheme = Đề án
document-kind-decision = Quyết định
document-kind-regulation = Quy định
document-kind-rules = Quy chế
document-kind-guidance = Hướng dẫn
document-kind-official-letter = Công văn
document-kind-direction = Ý kiến chỉ đạo

## Nhóm cơ quan.

org-category-assigning-authority = cấp giao nhiệm vụ (Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư, Tổng Bí thư, Thường trực Ban Bí thư)
org-category-central-party-body = cơ quan đảng ở Trung ương
org-category-inspection-commission = uỷ ban kiểm tra
org-category-committee-under-cc = đảng uỷ trực thuộc Trung ương
org-category-central-unit = đơn vị sự nghiệp của Trung ương
org-category-state-agency = cơ quan nhà nước
org-category-provincial-committee = tỉnh uỷ, thành uỷ
org-category-subordinate-unit = đơn vị trực thuộc
org-category-executing = cơ quan, tổ chức thực hiện nhiệm vụ (không phải cấp giao nhiệm vụ)

## Trạng thái nhiệm vụ.

task-status-draft = Chưa chuyển giao
task-status-awaiting-receipt = Chờ xác nhận tiếp nhận
task-status-in-progress = Đang thực hiện
task-status-returned = Đã phản hồi, chờ xử lý
task-status-completed = Đã hoàn thành
task-status-done-not-completed = Đã thực hiện nhưng chưa hoàn thành
task-status-cancelled = Đã huỷ

## Kết quả thực hiện.

result-completed-on-time = Đã hoàn thành – đúng hạn
result-completed-late = Đã hoàn thành – quá hạn
result-in-progress-on-time = Đang thực hiện – trong hạn
result-in-progress-overdue = Đang thực hiện – quá hạn
result-done-not-completed = Đã thực hiện nhưng chưa hoàn thành (quá hạn)
result-not-started-on-time = Chưa thực hiện – trong hạn
result-not-started-overdue = Chưa thực hiện – quá hạn (không thực hiện)
result-completed = Đã hoàn thành
result-in-progress = Đang thực hiện
result-not-started = Chưa thực hiện

## Thao tác.

action-edit = sửa nhiệm vụ
action-transfer = chuyển giao nhiệm vụ
action-confirm-receipt = xác nhận tiếp nhận
action-return = phản hồi, trả lại nhiệm vụ
action-handle-feedback = xử lý phản hồi
action-draft-update = soạn báo cáo tiến độ
action-edit-update = sửa báo cáo tiến độ
action-approve-update = phê duyệt báo cáo tiến độ
action-return-update = trả lại báo cáo tiến độ
action-evaluate-update = đánh giá báo cáo tiến độ
action-request-extension = đề nghị gia hạn
action-extend-deadline = gia hạn
action-request-update = yêu cầu báo cáo
action-urge = đôn đốc
action-report-difficulty = báo cáo khó khăn, vướng mắc
action-withdraw = thu hồi nhiệm vụ
action-cancel = huỷ nhiệm vụ
action-delegate = giao cho đơn vị trực thuộc

## Nghĩa vụ có thời hạn.

obligation-entry = Nhập và chuyển giao nhiệm vụ (3 ngày làm việc sau ngày ban hành)
obligation-receipt = Xác nhận tiếp nhận (4 giờ làm việc sau khi chuyển giao)
obligation-feedback = Phản hồi nếu nhiệm vụ chưa phù hợp (8 giờ làm việc sau khi tiếp nhận)
obligation-feedback-handling = Xử lý phản hồi (1 ngày làm việc)
obligation-checkpoint = Cập nhật tiến độ theo kỳ
obligation-final-report = Báo cáo kết quả sau khi kết thúc thực hiện
obligation-requested-update = Báo cáo theo yêu cầu
obligation-evaluation = Đánh giá báo cáo tiến độ (3 ngày làm việc sau khi phê duyệt)

obligation-status-pending = Đang trong hạn
obligation-status-met = Đã thực hiện
obligation-status-breached = Vi phạm thời hạn
obligation-status-not-required = Không phát sinh
obligation-status-cancelled = Không còn áp dụng
