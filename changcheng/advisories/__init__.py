"""The offline advisory database: OSV records from a directory tree or a zip, indexed once.

model      Advisory, Affected, Range, Event: the parts of an OSV record that matching needs
parse      one raw OSV mapping -> Advisory, or InvalidRecord (skipped and counted by the loader)
source     the files of a directory tree or a zip, and a signature that changes when they do
loader     reads every record of a source; schema violations are counted, not fatal
index      builds the per-package index once and caches it (pickle) under the hucheng home
database   AdvisoryDatabase: lookups by (ecosystem, package) over one or more sources
location   where the database is: --db, the config, else the copy `db update` made in the home
update     `db update --from URL|PATH`: copy or fetch a source into the home and index it
status     `db status`: sources, records per ecosystem, age, stale warning
"""
