import pytest
from rest_framework import serializers

from wijkwijs.core.api import FlatSerializer


class _Fields:
    kind = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])
    text = serializers.CharField(max_length=5)
    n = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0, max_value=10)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    url = serializers.SerializerMethodField()

    def get_url(self, obj):
        return f"/x/{obj['text']}"


def _declare(base):
    return type("S", (base,), {k: v for k, v in vars(_Fields).items() if not k.startswith("__")})


Flat, Plain = _declare(FlatSerializer), _declare(serializers.Serializer)


@pytest.mark.parametrize("data", [
    {"kind": "a", "text": "abc"},
    {"kind": "c", "text": "abcdef", "n": 11, "email": "no"},
    {"text": None, "n": "x"},
    {},
    {"kind": "b", "text": "\x00", "n": -1},
])
def test_validates_like_a_plain_serializer(data):
    flat, plain = Flat(data=data), Plain(data=data)
    assert flat.is_valid() == plain.is_valid()
    assert flat.errors == plain.errors
    assert flat.validated_data == plain.validated_data if not plain.errors else True


def test_renders_like_a_plain_serializer():
    obj = {"kind": "a", "text": "abc", "n": 1.5, "email": ""}
    assert Flat(obj).data == Plain(obj).data


def test_fields_are_per_instance():
    one, two = Flat(data={}), Flat(data={})
    one.fields["kind"].required = False
    assert two.fields["kind"].required is True
    assert Flat._declared_fields["kind"].required is True
    assert one.fields["kind"].parent is one and two.fields["kind"].parent is two
    assert Flat._declared_fields["kind"].parent is None if hasattr(Flat._declared_fields["kind"], "parent") else True
    assert not Flat(data={}).is_valid() and Flat(data={"kind": "a", "text": "x"}).is_valid()


@pytest.mark.parametrize("field", [serializers.ListField(child=serializers.CharField()), serializers.DictField(),
                                   serializers.Serializer()])
def test_nested_fields_are_refused(field):
    with pytest.raises(TypeError, match="scalar fields only"):
        type("Bad", (FlatSerializer,), {"x": field})
