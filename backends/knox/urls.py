"""knox's own URLs under api/auth/, with the hand-written login, registration and user views beside them.

The JSON-body login is routed at api/auth/login/ before `include("knox.urls")`, so it shadows knox's
LoginView there (which authenticates only through DRF authentication classes); logout and logoutall stay
knox's own.
"""

from __future__ import annotations

from django.urls import include, path

from backends.knox import views

urlpatterns = [
    path("", include("backends.common.urls")),
    path("api/auth/login/", views.LoginView.as_view(), name="login"),
    path("api/auth/register/", views.RegisterView.as_view(), name="register"),
    path("api/auth/user/", views.UserView.as_view(), name="user"),
    path("api/auth/", include("knox.urls")),
]
