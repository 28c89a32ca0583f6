"""The application layer: what every command does, without a terminal. Commands parse
their arguments, call one of these and render the events (`events.py`) it emits.

    prepare.prepare(config, out, key, decisions, stages, passphrase=callable) -> Settings
    batch.run(inputs, settings, on_event)                 `kodeklar run`, `kodeklar transcribe`
    batch.reanonymise(raw_paths, settings, on_event)      `kodeklar anonymise`
    export.export(transcripts, out, config.output, media, on_event)   `kodeklar export`
    text.redact_text_file(path, options)                  `kodeklar anonymise --text`
    slurm.plan, write_scripts, submit, status             `kodeklar slurm`, `--status`
    slurm.transcribe_task(settings, index, on_event)      an array task of `kodeklar slurm`
    slurm.finish(settings, on_event)                      its finishing job

`pipeline.py` holds the stage table that `run` and `reanonymise` share, `versions.py` the
code version of each stage for the cache keys, `manifest.py` OUT/manifest.json and the
locks that let a Slurm array's tasks and `kodeklar run` share one OUT."""
