"""The customer-import bench runs (a small file here; `make bench` runs 100,000 lines) and its export reads as
intended: one repeat and one bad line in a hundred, everything else new, then all up to date."""

from __future__ import annotations

from bench.import_bench import describe, measure_customer_import


def test_the_import_bench_measures_both_passes_on_a_small_export():
    result = measure_customer_import(lines=300)
    first, again = result["first_import"], result["same_file_again"]
    assert first["counts"] == {"create": 294, "update": 0, "unchanged": 0, "merged": 3, "refused": 3}
    assert again["counts"]["unchanged"] == 294 and again["counts"]["create"] == 0
    assert "customer import, 300 lines" in describe(result)
