"""Rebuild the Word and PDF plans of the evaluation set: python make_documents.py (needs LibreOffice for the PDF).

bo-tai-chinh-2024.docx and hai-phong-2024-annex.docx were written to measure the reader
before it had seen them; their generators stand here as they were.

binh-dinh-2024.docx: a letterhead table whose left cell holds the issuer and the number
as two paragraphs; duties in Word's "List Bullet" and "List Number" styles (the marks are
Word's numbering, not typed). ky-anh-2024.pdf: a letterhead table of two rows, saved as
PDF by LibreOffice, so that its lines are those of the page.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent

BINH_DINH = [
    ("KẾ HOẠCH", "Title"),
    ("Tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 trên địa bàn tỉnh Bình Định", None),
    ("Thực hiện Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia; "
     "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:", None),
    ("I. MỤC ĐÍCH, YÊU CẦU", None),
    ("Nâng cao nhận thức của cả hệ thống chính trị và người dân về chuyển đổi số.", "List Bullet"),
    ("Các hoạt động được tổ chức thiết thực, hiệu quả.", "List Bullet"),
    ("II. NỘI DUNG", None),
    ('1. Chủ đề: "Phổ cập hạ tầng số, ứng dụng số thúc đẩy tăng trưởng kinh tế số".', None),
    ("III. THỜI GIAN THỰC HIỆN", None),
    ("Các hoạt động tuyên truyền hưởng ứng được tổ chức từ ngày 20/9/2024 đến ngày 20/10/2024.", None),
    ("IV. TỔ CHỨC THỰC HIỆN", None),
    ("1. Sở Thông tin và Truyền thông", None),
    ("Chủ trì, phối hợp với các cơ quan, đơn vị triển khai các nội dung của Kế hoạch này.", "List Bullet"),
    ("Tổ chức Hội thảo chuyển đổi số trong doanh nghiệp nhỏ và vừa vào ngày 04/10/2024.", "List Bullet"),
    ("Tổng hợp kết quả, báo cáo UBND tỉnh trước ngày 30/10/2024.", "List Bullet"),
    ("2. Sở Kế hoạch và Đầu tư", None),
    ("Hướng dẫn doanh nghiệp đăng ký kinh doanh qua mạng, hoàn thành trước ngày 31/10/2024.", "List Bullet"),
    ("Phối hợp với Sở Thông tin và Truyền thông tổ chức Hội thảo chuyển đổi số trong doanh nghiệp nhỏ và vừa.", "List Bullet"),
    ("3. Sở Tư pháp", None),
    ("Chủ trì triển khai các nhiệm vụ sau:", None),
    ("Cấp Phiếu lý lịch tư pháp trên ứng dụng VNeID.", "List Number"),
    ("Số hóa sổ hộ tịch, hoàn thành trong tháng 11/2024.", "List Number"),
    ("4. Đài Phát thanh và Truyền hình Bình Định", None),
    ("Xây dựng phóng sự, tin bài tuyên truyền về Ngày Chuyển đổi số quốc gia năm 2024.", "List Bullet"),
    ("5. UBND các huyện, thị xã, thành phố", None),
    ("Ban hành kế hoạch hưởng ứng tại địa phương trước ngày 30/9/2024.", "List Bullet"),
    ("Chỉ đạo Tổ công nghệ số cộng đồng hướng dẫn người dân cài đặt ứng dụng VNeID.", "List Bullet"),
    ("Nơi nhận:", None),
    ("Bộ Thông tin và Truyền thông;", "List Bullet"),
    ("Lưu: VT.", "List Bullet"),
    ("TM. ỦY BAN NHÂN DÂN", None),
    ("KT. CHỦ TỊCH", None),
    ("PHÓ CHỦ TỊCH", None),
    ("Lâm Hải Giang", None),
]

KY_ANH = [
    ("KẾ HOẠCH", None),
    ("Tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 trên địa bàn thị xã Kỳ Anh", None),
    ("Căn cứ Kế hoạch số 455/KH-UBND ngày 05/9/2024 của UBND tỉnh Hà Tĩnh về tổ chức các hoạt động hưởng ứng "
     "Ngày Chuyển đổi số quốc gia năm 2024; UBND thị xã ban hành Kế hoạch thực hiện như sau:", None),
    ("I. MỤC ĐÍCH, YÊU CẦU", None),
    ("- Nâng cao nhận thức, thay đổi thói quen của người dân trong sử dụng các dịch vụ số, thanh toán không dùng "
     "tiền mặt và các nền tảng số phục vụ đời sống hằng ngày.", None),
    ("II. NỘI DUNG", None),
    ("1. Chủ đề: \"Phổ cập hạ tầng số, ứng dụng số thúc đẩy tăng trưởng kinh tế số\".", None),
    ("III. THỜI GIAN", None),
    ("1. Lễ phát động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 trên địa bàn thị xã:", None),
    ("Dự kiến 01 buổi, thời gian trước ngày 10/10/2024.", None),
    ("IV. TỔ CHỨC THỰC HIỆN", None),
    ("1. Phòng Văn hóa và Thông tin thị xã: Chủ trì, phối hợp với các phòng, ban, ngành, đơn vị liên quan tham "
     "mưu UBND thị xã triển khai các nội dung của Kế hoạch này; chủ trì tổ chức Lễ phát động hưởng ứng Ngày "
     "Chuyển đổi số quốc gia năm 2024 trên địa bàn thị xã; tổng hợp, báo cáo kết quả thực hiện về UBND thị xã "
     "trước ngày 20/10/2024.", None),
    ("2. Phòng Kinh tế: Chủ trì, phối hợp với Chi nhánh Ngân hàng Nông nghiệp và Phát triển nông thôn thị xã "
     "hướng dẫn các tiểu thương tại chợ trung tâm mở tài khoản, sử dụng mã QR để thanh toán không dùng tiền mặt, "
     "hoàn thành chậm nhất ngày 15/11/2024.", None),
    ("3. Trung tâm Văn hóa - Truyền thông thị xã: Tuyên truyền về Ngày Chuyển đổi số quốc gia năm 2024 trên hệ "
     "thống truyền thanh thị xã và trang thông tin điện tử thị xã từ ngày 25/9/2024 đến ngày 15/10/2024.", None),
    ("4. UBND các xã, phường: Ban hành kế hoạch hưởng ứng tại địa phương trước ngày 01/10/2024; chỉ đạo Tổ công "
     "nghệ số cộng đồng hướng dẫn người dân sử dụng dịch vụ công trực tuyến tại nhà văn hóa thôn, tổ dân phố.",
     None),
    ("Nơi nhận:", None),
    ("- UBND tỉnh;", None),
    ("- Lưu: VT.", None),
    ("TM. ỦY BAN NHÂN DÂN", None),
    ("CHỦ TỊCH", None),
    ("Nguyễn Đình Vũ", None),
]


def _body(document, paragraphs) -> None:
    for text, style in paragraphs:
        document.add_paragraph(text, style=style if style and style != "Title" else None)


def binh_dinh(path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH"
    left.add_paragraph("Số: 45/KH-UBND")
    right.text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    right.add_paragraph("Bình Định, ngày 18 tháng 9 năm 2024")
    _body(document, BINH_DINH)
    document.save(path)


def ky_anh(path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for row, (left, right) in zip(
        table.rows,
        [
            ("ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("THỊ XÃ KỲ ANH", "Độc lập - Tự do - Hạnh phúc"),
            ("Số: 210/KH-UBND", "Kỳ Anh, ngày 17 tháng 9 năm 2024"),
        ],
    ):
        row.cells[0].text, row.cells[1].text = left, right
    _body(document, KY_ANH)
    document.save(path)


def bo_tai_chinh(path: Path) -> None:
    """A ministry's plan: letterhead table of two rows, headings in 'Heading 1', duties in 'List Bullet'."""
    d = docx.Document()
    t = d.add_table(rows=2, cols=2)
    t.cell(0,0).text = "BỘ TÀI CHÍNH"
    t.cell(0,1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    t.cell(1,0).text = "Số: 1876/KH-BTC"
    t.cell(1,1).text = "Hà Nội, ngày 20 tháng 9 năm 2024"
    P = d.add_paragraph
    def B(s): d.add_paragraph(s, style="List Bullet")
    P("KẾ HOẠCH")
    P("Tổ chức Ngày Chuyển đổi số quốc gia năm 2024 của Bộ Tài chính")
    P("Căn cứ Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia;")
    P("Căn cứ Quyết định số 1117/QĐ-BTTTT ngày 28/6/2024 của Bộ Thông tin và Truyền thông phê duyệt Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2024;")
    P("Căn cứ Quyết định số 2404/QĐ-BTC ngày 10/11/2023 của Bộ trưởng Bộ Tài chính ban hành Kế hoạch chuyển đổi số ngành Tài chính năm 2024, Bộ Tài chính ban hành Kế hoạch tổ chức Ngày Chuyển đổi số quốc gia năm 2024 như sau:")
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU", style="Heading 1")
    P("1. Mục đích")
    B("Nâng cao nhận thức của công chức, viên chức, người lao động ngành Tài chính về chuyển đổi số, kinh tế số, dữ liệu số.")
    B("Thúc đẩy tổ chức, doanh nghiệp và người dân sử dụng dịch vụ công trực tuyến của ngành Tài chính.")
    P("2. Yêu cầu")
    B("Các hoạt động bảo đảm thiết thực, hiệu quả, tiết kiệm, phù hợp với chủ đề năm 2024.")
    d.add_paragraph("II. NỘI DUNG HOẠT ĐỘNG", style="Heading 1")
    P("1. Chủ đề: \"Phát triển hạ tầng số, tạo đột phá về thanh toán không dùng tiền mặt\" (theo hướng dẫn của Bộ Thông tin và Truyền thông).")
    P("2. Các hoạt động")
    P("a) Tổ chức Hội nghị \"Chuyển đổi số ngành Tài chính năm 2024\".")
    P("b) Tuyên truyền về Ngày Chuyển đổi số quốc gia trên Cổng thông tin điện tử Bộ Tài chính, Báo Tài chính - Đầu tư, Tạp chí Tài chính và trang thông tin điện tử của các đơn vị.")
    P("c) Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, hóa đơn điện tử, nộp thuế điện tử.")
    d.add_paragraph("III. THỜI GIAN", style="Heading 1")
    B("Thời gian cao điểm tuyên truyền: từ ngày 25/9 đến ngày 15/10/2024.")
    B("Hội nghị \"Chuyển đổi số ngành Tài chính năm 2024\": dự kiến ngày 10/10/2024.")
    d.add_paragraph("IV. KINH PHÍ", style="Heading 1")
    P("Kinh phí thực hiện từ nguồn dự toán chi ngân sách nhà nước năm 2024 đã giao cho các đơn vị và các nguồn hợp pháp khác.")
    d.add_paragraph("V. TỔ CHỨC THỰC HIỆN", style="Heading 1")
    P("1. Cục Tin học và Thống kê tài chính")
    B("Là đầu mối, chủ trì phối hợp với Văn phòng Bộ tổ chức triển khai Kế hoạch; theo dõi, đôn đốc các đơn vị thực hiện.")
    B("Nâng cấp Cổng thông tin điện tử Bộ Tài chính, bổ sung chuyên trang \"Chuyển đổi số ngành Tài chính\", hoàn thành trước ngày 30/9/2024.")
    B("Tổ chức Hội nghị \"Chuyển đổi số ngành Tài chính năm 2024\" trong tháng 10/2024.")
    B("Tổng hợp kết quả thực hiện, báo cáo Lãnh đạo Bộ và Bộ Thông tin và Truyền thông trước ngày 25/10/2024.")
    P("2. Văn phòng Bộ")
    B("Chủ trì, phối hợp với Báo Tài chính - Đầu tư, Tạp chí Tài chính tuyên truyền về Ngày Chuyển đổi số quốc gia từ ngày 25/9 đến ngày 15/10/2024.")
    B("Bố trí hội trường, bảo đảm công tác hậu cần phục vụ Hội nghị.")
    P("3. Vụ Kế hoạch - Tài chính")
    B("Bố trí kinh phí cho các hoạt động của Kế hoạch từ nguồn chi thường xuyên của Bộ.")
    P("4. Tổng cục Thuế")
    B("Đẩy mạnh triển khai hóa đơn điện tử khởi tạo từ máy tính tiền đối với hộ kinh doanh; thực hiện thường xuyên.")
    B("Phối hợp với Ngân hàng Nhà nước Việt Nam và các ngân hàng thương mại triển khai nộp thuế điện tử qua ứng dụng di động trong Quý IV/2024.")
    P("5. Kho bạc Nhà nước")
    B("Phối hợp với Tổng cục Thuế, Tổng cục Hải quan hoàn thành kết nối, chia sẻ dữ liệu thu ngân sách nhà nước chậm nhất ngày 31/12/2024.")
    B("Cung cấp dịch vụ công trực tuyến toàn trình đối với 100% thủ tục hành chính thuộc thẩm quyền giải quyết.")
    P("6. Tổng cục Hải quan")
    B("Tổ chức tuyên truyền về Cơ chế một cửa quốc gia, Cơ chế một cửa ASEAN tại các cửa khẩu trong tháng 10/2024.")
    P("7. Báo Tài chính - Đầu tư, Tạp chí Tài chính")
    B("Mở chuyên mục về chuyển đổi số ngành Tài chính; đăng tải tin, bài thường xuyên.")
    B("Thực hiện tọa đàm trực tuyến \"Dữ liệu số - động lực tăng trưởng\", phát sóng vào ngày 10/10/2024.")
    P("8. Các đơn vị thuộc Bộ")
    B("Căn cứ Kế hoạch này, xây dựng kế hoạch hưởng ứng của đơn vị, gửi Cục Tin học và Thống kê tài chính trước ngày 05/10/2024.")
    B("Báo cáo kết quả thực hiện về Cục Tin học và Thống kê tài chính trước ngày 20/10/2024 để tổng hợp.")
    P("Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về Cục Tin học và Thống kê tài chính để tổng hợp, báo cáo Lãnh đạo Bộ xem xét, chỉ đạo./.")
    P("Nơi nhận:")
    B("Bộ Thông tin và Truyền thông;")
    B("Lãnh đạo Bộ;")
    B("Lưu: VT, THTK.")
    P("KT. BỘ TRƯỞNG")
    P("THỨ TRƯỞNG")
    P("Nguyễn Đức Chi")
    d.save(path)


def hai_phong(path: Path) -> None:
    """A city's plan: letterhead of one row, section V of two clauses, the duties in an annex table after a page break."""
    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    t.cell(0,0).text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG\n\nSố: 245/KH-UBND"
    t.cell(0,1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nHải Phòng, ngày 23 tháng 9 năm 2024"
    P = d.add_paragraph
    P("KẾ HOẠCH")
    P("Tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 trên địa bàn thành phố Hải Phòng")
    P("Thực hiện Quyết định số 505/QĐ-TTg ngày 22/4/2022 của Thủ tướng Chính phủ về Ngày Chuyển đổi số quốc gia; Căn cứ Kế hoạch số 2100/KH-BTTTT ngày 01/7/2024 của Bộ Thông tin và Truyền thông, Ủy ban nhân dân thành phố ban hành Kế hoạch như sau:")
    P("I. MỤC ĐÍCH, YÊU CẦU")
    P("- Lan tỏa tinh thần chuyển đổi số đến mọi tầng lớp nhân dân, doanh nghiệp trên địa bàn thành phố.")
    P("- Các hoạt động được tổ chức thiết thực, hiệu quả, gắn với nhiệm vụ chuyển đổi số năm 2024 của thành phố.")
    P("II. NỘI DUNG")
    P("Chủ đề: \"Phát triển hạ tầng số, tạo đột phá về thanh toán không dùng tiền mặt\". Các nhiệm vụ cụ thể tại Phụ lục kèm theo Kế hoạch này.")
    P("III. THỜI GIAN")
    P("Từ ngày 01/10/2024 đến ngày 31/10/2024; cao điểm trong tuần lễ từ ngày 07/10 đến ngày 13/10/2024.")
    P("IV. KINH PHÍ")
    P("Các cơ quan, đơn vị sử dụng dự toán ngân sách năm 2024 đã được giao để thực hiện; khuyến khích huy động nguồn xã hội hóa.")
    P("V. TỔ CHỨC THỰC HIỆN")
    P("1. Sở Thông tin và Truyền thông là cơ quan thường trực, theo dõi, đôn đốc, hướng dẫn các cơ quan, đơn vị triển khai Kế hoạch; tổng hợp kết quả, báo cáo Ủy ban nhân dân thành phố trước ngày 31/10/2024.")
    P("2. Các sở, ban, ngành, Ủy ban nhân dân các quận, huyện căn cứ nhiệm vụ được phân công tại Phụ lục kèm theo, chủ động triển khai thực hiện và gửi báo cáo kết quả về Sở Thông tin và Truyền thông trước ngày 25/10/2024.")
    P("Nơi nhận:")
    P("- Bộ TT&TT;")
    P("- CT, các PCT UBND TP;")
    P("- Lưu: VT.")
    P("TM. ỦY BAN NHÂN DÂN")
    P("KT. CHỦ TỊCH")
    P("PHÓ CHỦ TỊCH")
    P("Nguyễn Văn Tùng")
    d.add_page_break()
    P("PHỤ LỤC")
    P("NHIỆM VỤ TỔ CHỨC NGÀY CHUYỂN ĐỔI SỐ QUỐC GIA NĂM 2024")
    P("(Kèm theo Kế hoạch số 245/KH-UBND ngày 23/9/2024 của UBND thành phố)")
    rows = [
    ("STT","Nội dung","Cơ quan chủ trì","Cơ quan phối hợp","Thời gian hoàn thành"),
    ("I","HOẠT ĐỘNG TRUYỀN THÔNG","","",""),
    ("1","Tuyên truyền về Ngày Chuyển đổi số quốc gia trên Báo Hải Phòng, Đài Phát thanh và Truyền hình Hải Phòng","Sở Thông tin và Truyền thông","Báo Hải Phòng; Đài Phát thanh và Truyền hình Hải Phòng","Từ ngày 01/10 đến ngày 15/10/2024"),
    ("2","Treo băng rôn, pano, áp phích tại các tuyến đường chính, khu vực trung tâm","Sở Văn hóa và Thể thao","UBND các quận, huyện","Trước ngày 05/10/2024"),
    ("3","Gửi tin nhắn SMS tuyên truyền đến các thuê bao di động trên địa bàn","Sở Thông tin và Truyền thông","Viettel Hải Phòng, VNPT Hải Phòng, MobiFone Khu vực 5","Tháng 10/2024"),
    ("4","Cập nhật tin, bài về chuyển đổi số trên Cổng thông tin điện tử thành phố","Văn phòng UBND thành phố","Sở Thông tin và Truyền thông","Thường xuyên"),
    ("II","CÁC SỰ KIỆN, HOẠT ĐỘNG HƯỞNG ỨNG","","",""),
    ("1","Tổ chức Lễ hưởng ứng Ngày Chuyển đổi số quốc gia năm 2024 cấp thành phố","Sở Thông tin và Truyền thông","Văn phòng UBND thành phố; các cơ quan liên quan","10/10/2024"),
    ("2","Tổ chức Ngày hội \"Tiêu dùng số\" và chương trình khuyến mại thanh toán không dùng tiền mặt","Sở Công Thương","Ngân hàng Nhà nước Chi nhánh Hải Phòng; các doanh nghiệp","Từ ngày 07/10 - 13/10/2024"),
    ("3","Triển khai thanh toán không dùng tiền mặt tại các bệnh viện, cơ sở khám chữa bệnh công lập","Sở Y tế","Ngân hàng Nhà nước Chi nhánh Hải Phòng","Quý IV/2024"),
    ("4","Thu học phí không dùng tiền mặt tại 100% cơ sở giáo dục công lập","Sở Giáo dục và Đào tạo","","Năm 2024"),
    ("5","Tổ chức cuộc thi \"Tìm hiểu về chuyển đổi số\" dành cho đoàn viên, thanh niên","Thành đoàn Hải Phòng","Sở Thông tin và Truyền thông","Trước ngày 20/10/2024"),
    ("6","Hỗ trợ hộ kinh doanh tại các chợ mở tài khoản và sử dụng mã QR thanh toán","UBND các quận, huyện","Sở Công Thương; các ngân hàng thương mại",""),
    ("III","BẢO ĐẢM ĐIỀU KIỆN","","",""),
    ("1","Bảo đảm an toàn thông tin cho các hệ thống thông tin của thành phố trong thời gian diễn ra sự kiện","Công an thành phố","Sở Thông tin và Truyền thông","Từ ngày 01/10 đến ngày 31/10/2024"),
    ("2","Thẩm định, bố trí kinh phí tổ chức các hoạt động","Sở Tài chính","Sở Thông tin và Truyền thông",""),
    ("3","Tổng hợp, đánh giá kết quả tổ chức Ngày Chuyển đổi số quốc gia năm 2024","Sở Thông tin và Truyền thông","Các sở, ban, ngành; UBND các quận, huyện","Chậm nhất ngày 31/10/2024"),
    ]
    tb = d.add_table(rows=0, cols=5); tb.style = "Table Grid"
    for r in rows:
        cells = tb.add_row().cells
        for i,v in enumerate(r): cells[i].text = v
    d.save(path)


def main() -> None:
    binh_dinh(HERE / "binh-dinh-2024.docx")
    bo_tai_chinh(HERE / "bo-tai-chinh-2024.docx")
    hai_phong(HERE / "hai-phong-2024-annex.docx")
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "ky-anh-2024.docx"
        ky_anh(source)
        office = shutil.which("soffice") or shutil.which("libreoffice")
        if office is None:
            sys.exit("LibreOffice (soffice) is needed for the PDF")
        subprocess.run(
            [office, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", str(HERE), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip


if __name__ == "__main__":
    main()
