from django.urls import path

from coproduce.stories import views

urlpatterns = [
    path("join/<str:code>/story/", views.tell, name="story-tell"),
    path("join/<str:code>/stories/", views.my_stories, name="my-stories"),
    path("studies/<slug:slug>/stories/", views.story_bank, name="stories"),
    path("studies/<slug:slug>/stories/new/", views.gather, name="story-gather"),
    path("studies/<slug:slug>/stories/import/", views.import_stories, name="story-import"),
    path("studies/<slug:slug>/stories/<int:number>/", views.story_detail, name="story"),
    path(
        "studies/<slug:slug>/stories/<int:number>/recording/",
        views.story_media,
        name="story-recording",
    ),
]
