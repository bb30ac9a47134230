"""Documents any app generates: PDFs in Chinese with a CJK font embedded (reportlab), and .docx
files from templates (docxtpl) where staff edit what is printed."""
