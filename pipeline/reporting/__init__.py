"""Who reported: the roster's weekly duty (owed weeks, nil reports, streaks) and the figures of
the weekly submission notice (报送情况通报); pure core, no Dagster."""
