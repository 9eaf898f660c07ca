"""nbgrader plugins the course adds to the stock pipeline: an execution that leaves released
demonstrations out, a feedback preprocessor and an export."""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader.plugins import ExportPlugin
from nbgrader.preprocessors import Execute
from traitlets import Bool, Dict, Unicode

from autograder.authoring.course import demo_digest

NOT_RUN = "(a demonstration left as released: not run at grading, no test needs it)\n"


class GradingExecute(Execute):
    """nbgrader's Execute, which ``nbgrader autograde`` uses (nbgrader_config.py), leaving out the
    demonstration cells a student left as released: plots, widgets and training runs that no test
    cell needs, as the course's confined grader does. The build marks each demonstration cell with
    a digest of its source (``metadata.course.demo``); a cell whose source still has that digest
    gets a one-line note instead of running. Every other cell runs: the setup and helper cells, the
    student's solutions, the test cells, and any cell the student edited or added."""

    def preprocess_cell(self, cell, resources, index):
        if is_released_demo(cell):
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=NOT_RUN)]
            cell.execution_count = None
            return cell, resources
        return super().preprocess_cell(cell, resources, index)


def is_released_demo(cell) -> bool:
    marked = cell.get("metadata", {}).get("course", {}).get("demo")
    return bool(
        cell.cell_type == "code"
        and marked
        and not cell.get("metadata", {}).get("nbgrader")
        and demo_digest(cell.source) == marked
    )


class ShortErrors(Preprocessor):
    """Reduce every error output to its one-line message: a traceback would show the source of the
    hidden test that raised it."""

    # nbgrader registers preprocessors without enabling them: this one is on by default
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    output["traceback"] = [f"{output.get('ename')}: {output.get('evalue')}"]
        return cell, resources


class CanvasExport(ExportPlugin):
    """``nbgrader export --exporter=autograder.grading.nbgrader_plugins.CanvasExport --to canvas.csv``: the
    gradebook as Canvas's gradebook import reads it. One row per student, then one column per
    assignment (its score after nbgrader's late penalty); the row under the header gives each
    assignment's points possible. Canvas matches students by the column named by ``id_column``
    (the nbgrader student id goes there; "SIS Login ID" by default) and creates an assignment for a
    column whose name it does not know; name a column "<name> (<canvas id>)" to fill an existing
    one. A student with no submission gets an empty cell, which Canvas leaves as it was."""

    id_column = Unicode("SIS Login ID", help="Canvas column holding the nbgrader student id").tag(
        config=True
    )
    canvas_ids = Dict(
        {}, help="assignment name -> Canvas assignment id, to fill an existing column"
    ).tag(config=True)

    def export(self, gradebook) -> None:
        import csv

        from nbgrader.api import MissingEntry

        if self.id_column not in CANVAS_ID_COLUMNS:
            raise ValueError(f"id_column must be one of {CANVAS_ID_COLUMNS}")
        dest = self.to or "canvas_grades.csv"
        assignments = [
            a for a in gradebook.assignments if not self.assignment or a.name in self.assignment
        ]
        students = [s for s in gradebook.students if not self.student or s.id in self.student]

        def column(name: str) -> str:
            return f"{name} ({self.canvas_ids[name]})" if name in self.canvas_ids else name

        header = ["Student", *CANVAS_ID_COLUMNS, "Section", *(column(a.name) for a in assignments)]
        points = ["Points Possible", "", "", "", ""] + [f"{a.max_score:g}" for a in assignments]
        with open(dest, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerow(points)
            for s in sorted(students, key=lambda s: s.id):
                name = ", ".join(n for n in (s.last_name, s.first_name) if n) or s.id
                ids = {c: "" for c in CANVAS_ID_COLUMNS}
                ids[self.id_column] = s.id
                cells = []
                for a in assignments:
                    try:
                        sub = gradebook.find_submission(a.name, s.id)
                    except MissingEntry:
                        cells.append("")
                        continue
                    score = max(0.0, sub.score - (sub.late_submission_penalty or 0.0))
                    cells.append(f"{score:g}")
                writer.writerow([name, *ids.values(), "", *cells])
        self.log.info("Canvas gradebook CSV written to %s", dest)


CANVAS_ID_COLUMNS = ["ID", "SIS User ID", "SIS Login ID"]
