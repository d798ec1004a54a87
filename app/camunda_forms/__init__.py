"""Task forms designed in Camunda Modeler (Camunda Forms, the form-js JSON schema), rendered and checked here.

    registry = FormRegistry.from_directory(config.forms_dir)
    form = registry.for_task(task_spec)               # camunda:formRef / camunda:formKey of a user task
    html = render(form, task_data)                    # first display
    values = submit(form, request.form, task_data)    # typed values for the task data, or FormInvalid
    html = render(form, request.form, invalid, lang, context=task_data)   # refused: errors and input kept

Pages include static/camunda-forms.css and static/camunda-forms.js (conditions re-evaluated as the user types).
`check_form` / `FormRegistry.problems` list what a designer must fix (form-js schema, unsupported parts, FEEL).
"""

from .feel import FeelSyntaxError
from .loading import FormFileError, FormRegistry, check_form, form_file_of_key, load_form
from .model import Component, Form, with_data
from .problems import FormProblem
from .rendering import render
from .submission import submit

__all__ = [
    "Component",
    "FeelSyntaxError",
    "Form",
    "FormFileError",
    "FormProblem",
    "FormRegistry",
    "check_form",
    "form_file_of_key",
    "load_form",
    "render",
    "submit",
    "with_data",
]
