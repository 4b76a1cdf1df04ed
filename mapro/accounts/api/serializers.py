"""Serializers of the authentication endpoints."""

from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    """Credentials exchanged for an API token."""

    username = serializers.CharField(max_length=150)
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    """The raw token, shown once: only its hash is stored."""

    token = serializers.CharField()


class MeSerializer(serializers.Serializer):
    """Who the caller is: username, full name and the role codes held today."""

    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
