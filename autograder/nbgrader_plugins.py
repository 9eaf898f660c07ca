"""nbgrader preprocessors the course adds to the stock pipeline."""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool


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
