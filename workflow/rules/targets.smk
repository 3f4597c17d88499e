# One target rule per registered study: its artifacts, from register_study (`all`, the default, is in the Snakefile).
for study in STUDY_ARTIFACTS:

    rule:
        name:
            study
        input:
            STUDY_ARTIFACTS[study],


# The catalog of what the run produced, per study: the one list the tests and the report read.
rule artifact_catalog:
    input:
        [path for paths in STUDY_ARTIFACTS.values() for path in paths],
    output:
        f"{RESULTS}/artifacts.json",
    log:
        f"{LOGS}/artifacts.log",
    localrule: True
    conda:
        ENV
    params:
        artifacts={study: files for study, files in STUDY_ARTIFACTS.items() if study_enabled(study)},
    script:
        "../scripts/artifact_catalog.py"


# Every study's claims in one table: results/claims.{csv,md}, and the report's claims page results/claims.html.
CLAIMS_FILES = {
    study: path for study, paths in STUDY_ARTIFACTS.items() for path in paths if path.endswith("-claims.csv")
}


rule claims_page:
    input:
        list(CLAIMS_FILES.values()),
    output:
        csv=report(
            f"{RESULTS}/claims.csv",
            caption="../report/claims.rst",
            category="All studies",
            subcategory="Claims of every study",
            labels={"type": "table (CSV)"},
        ),
        md=f"{RESULTS}/claims.md",
        html=report(
            f"{RESULTS}/claims.html",
            caption="../report/claims.rst",
            category="All studies",
            subcategory="Claims of every study",
            labels={"type": "page (HTML)"},
        ),
    log:
        f"{LOGS}/claims.log",
    localrule: True
    conda:
        ENV
    params:
        claims_files=CLAIMS_FILES,
    script:
        "../scripts/claims_page.py"


# Where the run's time went: every job's benchmark record (the Snakefile gives each job with a log one) and the start-up
# its log records, summed per rule and per study. Its inputs make it the last job of a whole run.
rule run_times:
    input:
        rules.artifact_catalog.output,
        rules.claims_page.output,
    output:
        table=report(
            f"{RESULTS}/run_times.csv",
            caption="../report/run_times.rst",
            category="All studies",
            subcategory="Where the run's time went",
            labels={"type": "table (CSV)"},
        ),
        md=f"{RESULTS}/run_times.md",
        figure=report(
            f"{RESULTS}/run_times.png",
            caption="../report/run_times.rst",
            category="All studies",
            subcategory="Where the run's time went",
            labels={"type": "figure (PNG)"},
        ),
    log:
        f"{LOGS}/run_times.log",
    localrule: True
    conda:
        ENV
    params:
        logs=LOGS,
    script:
        "../scripts/run_times.py"
