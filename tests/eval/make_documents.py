"""Rebuild the Word and PDF plans of the evaluation set: python make_documents.py (needs LibreOffice for the PDF).

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


def main() -> None:
    binh_dinh(HERE / "binh-dinh-2024.docx")
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
