"""Staff pages for supervision and assessment."""

from django.urls import path

from gridgov.assessment import views, views_supervision

app_name = "assessment"

urlpatterns = [
    path("", views.scores, name="scores"),
    path("export.xlsx", views.export, name="export"),
    path("recompute/", views.recompute, name="recompute"),
    path("scores/<int:score_id>/", views.score_detail, name="score"),
    path("visits/", views.visits, name="visits"),
    path("scheme/", views.scheme, name="scheme"),
    path("orders/", views_supervision.orders, name="orders"),
    path("orders/new/", views_supervision.order_new, name="order-new"),
    path("orders/<str:number>/", views_supervision.order_detail, name="order"),
    path("orders/<str:number>/respond/", views_supervision.order_respond, name="order-respond"),
    path("orders/<str:number>/review/", views_supervision.order_review, name="order-review"),
    path("orders/<str:number>/withdraw/", views_supervision.order_withdraw, name="order-withdraw"),
    path("package/", views_supervision.my_package, name="my-package"),
    path("packages/", views_supervision.packages, name="packages"),
    path("packages/<int:package_id>/end/", views_supervision.package_end_view, name="package-end"),
]
