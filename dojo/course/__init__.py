"""The course: the kata catalog, the learner's progress, the self-check (verify, the fair-fix
proofs) and the kata template."""
