"""``werkbladen report``: the working group's joint overview of the returned forms, as one PDF.

One job per module: :mod:`.inputs` (PDFs and extract's JSON in, records out), :mod:`.model` (the
joint picture as plain data, no ReportLab), :mod:`.text`, :mod:`.flow` and :mod:`.chart` (plain
text, the page-breaking text table, the score bars), :mod:`.document` (the pages).
"""
