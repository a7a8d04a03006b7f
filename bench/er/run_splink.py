#!/usr/bin/env python3
"""Splink (DuckDB backend) on one benchmark input; writes the common output format.

usage: run_splink.py febrl3|febrl4|synth FILE [FILE_B] --pairs OUT --clusters OUT [--threshold 0.5]

pairs CSV: left_id,right_id,probability   (pairs predicted at >= threshold)
clusters CSV: cluster,file,record_id      (connected components at >= threshold)

The FEBRL models follow Splink's own examples (docs/demos/examples/duckdb/febrl3
and febrl4: comparisons, blocking rules, estimate_probability_two_random_records_match,
estimate_u_using_random_sampling, two EM sessions, predict, cluster at threshold).
The synth model is a custom model in the same style.
"""
import argparse
import logging
import sys
import time

import duckdb
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

FEBRL_COLS = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2",
              "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]


def load_febrl(con, path, side):
    cols = ", ".join(f"nullif(trim({c}), '') as {c}" for c in FEBRL_COLS)
    return con.sql(f"select {cols}, '{side}' as file from read_csv('{path}', all_varchar=true, header=true)")


def load_synth(con, path, side):
    # light cleaning, as one would before any Splink model: lower-case names,
    # phone reduced to its last 9 digits (national / +44 / 00 forms agree),
    # passport upper-case, postcode without spaces
    return con.sql(f"""
        select record_id,
               nullif(lower(trim(given_name)), '') as given_name,
               nullif(lower(trim(surname)), '') as surname,
               nullif(trim(dob), '') as dob,
               nullif(trim(sex), '') as sex,
               nullif(trim(nationality), '') as nationality,
               nullif(right(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 9), '') as phone,
               nullif(upper(trim(passport_no)), '') as passport_no,
               nullif(lower(trim(address)), '') as address,
               nullif(lower(trim(city)), '') as city,
               nullif(upper(replace(postcode, ' ', '')), '') as postcode,
               '{side}' as file
        from read_csv('{path}', all_varchar=true, header=true)""")


def febrl3_model():
    blocking_rules = [
        block_on("soc_sec_id"),
        block_on("given_name"),
        block_on("surname"),
        block_on("date_of_birth"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
        ],
        additional_columns_to_retain=["file"],
    )

    def train(linker):
        linker.training.estimate_probability_two_random_records_match([
            block_on("soc_sec_id"),
            block_on("given_name", "surname", "date_of_birth"),
            "l.given_name = r.surname and l.surname = r.given_name and l.date_of_birth = r.date_of_birth",
        ], recall=0.9)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=2)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("postcode"))

    return settings, train, "rec_id"


def febrl4_model():
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("date_of_birth"),
        block_on("soc_sec_id"),
        block_on("state", "address_1"),
        block_on("street_number", "address_1"),
        block_on("postcode"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="rec_id",
        link_type="link_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d",
                                     invalid_dates_as_null=True),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
        ],
        additional_columns_to_retain=["file"],
    )

    def train(linker):
        linker.training.estimate_probability_two_random_records_match(
            [block_on("soc_sec_id"), block_on("given_name", "surname", "date_of_birth")], recall=0.8)
        linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("date_of_birth"), estimate_without_term_frequencies=True)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("postcode"), estimate_without_term_frequencies=True)

    return settings, train, "rec_id"


def synth_model():
    blocking_rules = [
        block_on("given_name", "surname"),
        "l.given_name = r.surname and l.surname = r.given_name",
        block_on("dob", "substr(surname, 1, 1)"),
        block_on("phone"),
        block_on("passport_no"),
        block_on("postcode", "substr(given_name, 1, 1)"),
    ]
    settings = SettingsCreator(
        unique_id_column_name="record_id",
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=blocking_rules,
        comparisons=[
            # Splink's own comparison of a forename and surname that may be
            # swapped, which the synth data does (since the seventh session: two
            # separate jaro-winkler comparisons left Splink's clusters chained).
            cl.ForenameSurnameComparison("given_name", "surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d",
                                     invalid_dates_as_null=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("phone").configure(term_frequency_adjustments=True),
            cl.ExactMatch("passport_no"),
            cl.ExactMatch("postcode").configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("address", [2]),
        ],
        additional_columns_to_retain=["file"],
    )

    def train(linker):
        linker.training.estimate_probability_two_random_records_match(
            [block_on("passport_no"), block_on("given_name", "surname", "dob")], recall=0.6)
        linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("postcode"), estimate_without_term_frequencies=True)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("given_name", "surname"), estimate_without_term_frequencies=True)

    return settings, train, "record_id"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["febrl3", "febrl4", "synth"])
    ap.add_argument("file")
    ap.add_argument("file_b", nargs="?")
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--clusters", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    a = ap.parse_args()
    logging.getLogger("splink").setLevel(logging.WARNING)
    t0 = time.time()

    con = duckdb.connect()
    load = load_synth if a.task == "synth" else load_febrl
    settings, train, id_col = {"febrl3": febrl3_model, "febrl4": febrl4_model, "synth": synth_model}[a.task]()
    db_api = DuckDBAPI(connection=con)
    tables = [load(con, a.file, "left")]
    if a.file_b:
        tables.append(load(con, a.file_b, "right"))
    sdfs = [db_api.register(t.arrow().read_all() if hasattr(t.arrow(), "read_all") else t.arrow())
            for t in tables]
    linker = Linker(sdfs if len(sdfs) > 1 else sdfs[0], settings)
    train(linker)
    predictions = linker.inference.predict(threshold_match_probability=a.threshold)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=a.threshold)

    p = predictions.as_duckdbpyrelation()
    # orient link pairs as (left file, right file)
    p.query("p", f"""
        select case when file_l = 'left' then {id_col}_l else {id_col}_r end as left_id,
               case when file_l = 'left' then {id_col}_r else {id_col}_l end as right_id,
               match_probability as probability
        from p where match_probability >= {a.threshold}""").write_csv(a.pairs)
    c = clusters.as_duckdbpyrelation()
    c.query("c", f"select cluster_id as cluster, file, {id_col} as record_id from c").write_csv(a.clusters)
    print(f"splink {a.task}: {len(tables)} file(s), done in {time.time() - t0:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
