"""Forms in the house style: widgets carry the NL Design System (Utrecht) component classes, and
there is no browser validation, so the server's Dutch messages are what people see."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

TEXTBOX_WIDGETS: tuple[type[forms.Widget], ...] = (forms.TextInput, forms.EmailInput, forms.NumberInput, forms.URLInput)


def style_form(form: forms.BaseForm, *, textbox_widgets: tuple[type[forms.Widget], ...] = TEXTBOX_WIDGETS) -> forms.BaseForm:
    """Add the Utrecht component classes to a form's widgets (also a django-filter form's)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.Textarea):
            css = "utrecht-textarea utrecht-textarea--html-textarea"
        elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
            css = "utrecht-select utrecht-select--html-select"
        elif isinstance(widget, textbox_widgets) and not isinstance(widget, forms.HiddenInput):
            css = "utrecht-textbox utrecht-textbox--html-input"
        else:
            continue
        if css not in widget.attrs.get("class", ""):
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
    return form


class StyledForm(forms.Form):
    """A form whose widgets carry the Utrecht component classes (no browser validation: the server says)."""

    use_required_attribute = False
    textbox_widgets: ClassVar[tuple[type[forms.Widget], ...]] = TEXTBOX_WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self, textbox_widgets=self.textbox_widgets)
