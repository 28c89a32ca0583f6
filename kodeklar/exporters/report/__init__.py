"""Redaction reports for ethics reviewers (REK, Sikt, personvernombud), the batch
summary, the private report of originals, and the review sheet a human fills in; one
module per concern: `data` (the report as plain data, and the items a human decides on),
`originals` (the recovery of originals), `html_` and `sheets` (the HTML pages and the CSV
files), `writers` (the files of each report).

What the shareable reports may show: times, speakers, categories, replacements, detectors,
scores and who decided; and the text of residual-risk candidates, which is text left in the
anonymised transcript. What they never show: the original text of a redaction. That goes
only into `writers.write_originals_report`, which the pipeline writes under OUT/private/."""
