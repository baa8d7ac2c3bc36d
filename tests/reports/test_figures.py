"""Report figures, computed by the database, against a population counted by hand."""

import pytest

from app.reports import services
from app.reports.services import Filters
from tests.reports.conftest import at


def figures(app, filters=None, scope=None):
    with app.app_context():
        return services.key_figures(filters or Filters(), scope, now=at("2026-03-15"))


def test_key_figures_of_everyone(app, population):
    result = figures(app)
    assert (result.enrolled, result.started, result.halfway) == (7, 6, 5)
    assert (result.completed, result.certified) == (4, 2)
    assert result.active == 3  # since 13 February: Moussa (14 Feb), Otieno, Nadia
    assert result.completion_rate == pytest.approx(4 / 7)
    assert (result.final_taken, result.final_passed) == (4, 3)
    assert result.pass_rate == pytest.approx(0.75)
    assert result.mean_final_score == pytest.approx(67.5)
    # Days to complete: 10, 30, 4, 28 → median 19.
    assert result.median_days == pytest.approx(19)


def test_filters_narrow_every_figure(app, population):
    result = figures(app, Filters(cohort_id=population["dakar"], gender="female"))
    assert (result.enrolled, result.completed, result.certified) == (2, 1, 1)
    assert result.median_days == pytest.approx(10)
    result = figures(app, Filters(start=at("2026-02-01").date(), end=at("2026-03-01").date()))
    assert result.enrolled == 3  # Fatou, Ibrahima, Otieno
    assert figures(app, Filters(country="BD", language="fr")).enrolled == 0


def test_an_officer_sees_only_their_cohorts(app, population):
    result = figures(app, scope={population["nairobi"]})
    assert (result.enrolled, result.completed) == (2, 1)
    assert figures(app, scope=set()).enrolled == 0  # an officer of no cohort sees nothing


def test_breakdowns_and_months(app, population):
    def labels(_dimension, keys):
        return {key: str(key) for key in keys}

    with app.app_context():
        by_country = services.breakdown("country", Filters(), None, labels)
        by_gender = services.breakdown("gender", Filters(), None, labels)
        months = services.monthly(Filters(), None)
    assert [(r.key, r.enrolled, r.completed, r.certified) for r in by_country] == [
        ("SN", 4, 2, 2), ("KE", 2, 1, 0), ("BD", 1, 1, 0),
    ]  # fmt: skip
    assert {r.key: r.enrolled for r in by_gender} == {"female": 4, "male": 2, None: 1}
    assert [(m.month, m.enrolled, m.completed) for m in months] == [
        ("2026-01", 3, 2), ("2026-02", 2, 1), ("2026-03", 2, 1),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "filters", [Filters(), Filters(country="SN"), Filters(gender="female", language="fr")]
)
def test_all_breakdowns_at_once_agree_with_each_alone(app, population, filters):
    """The learner dimensions come from one grouped scan between them: the same rows as
    each dimension's own query, largest first, in the officer's scope too."""

    def labels(_dimension, keys):
        return {key: f"label {key}" for key in keys}

    def rows(result):
        return [(r.key, r.label, r.enrolled, r.completed, r.certified) for r in result]

    for scope in (None, {population["nairobi"], population["dakar"]}):
        with app.app_context():
            together = services.breakdowns(list(services.DIMENSIONS), filters, scope, labels)
            for dimension in services.DIMENSIONS:
                alone = rows(services.breakdown(dimension, filters, scope, labels))
                assert sorted(rows(together[dimension]), key=str) == sorted(alone, key=str)
                counts = [row[2] for row in rows(together[dimension])]
                assert counts == sorted(counts, reverse=True), dimension


def test_small_counts_are_suppressed(app):
    assert services.suppress(0, 5) == 0
    assert str(services.suppress(3, 5)) == "<5"
    assert services.suppress(5, 5) == 5


def test_the_benchmark_generator_makes_a_consistent_data_set(app, runner):
    result = runner.invoke(
        args=["lms", "seed-benchmark", "--learners", "60", "--enrolments", "200",
              "--progress", "1500", "--attempts", "120"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "60 learners, 5 courses, 20 cohorts, 200 enrolments" in result.output
    with app.app_context():
        figures = services.key_figures(Filters(), None)
        assert figures.enrolled == 200
        assert figures.completed >= figures.certified > 0
        assert figures.final_taken == 120
