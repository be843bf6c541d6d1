"""Identity resolution: which records of lists, files and the register are one person.

`link` finds them (`rrms link`), `train` re-trains the model on a site's own register
(`rrms link-train`); `model` is the model as data, `engine` runs Splink on DuckDB or
Spark, `records` reads a list for linkage.
"""
