# The two library variants and the in-tree target, from symjit_ir and
# symjit_obj (top-level CMakeLists.txt; decision 0032).

# ABI: 0.x releases may break it at every minor version, so the SONAME
# carries MAJOR.MINOR until 1.0, then MAJOR.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(SJ_SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
else()
  set(SJ_SOVERSION ${PROJECT_VERSION_MAJOR})
endif()

# libLLVM as a file, not LLVM's imported target: consumers of the exported
# static target then need no find_package(LLVM) (nor llvm-19-dev).
get_target_property(_sj_llvm_cfgs LLVM IMPORTED_CONFIGURATIONS)
list(GET _sj_llvm_cfgs 0 _sj_llvm_cfg)
get_target_property(SJ_LLVM_LIBRARY LLVM IMPORTED_LOCATION_${_sj_llvm_cfg})
if(NOT SJ_LLVM_LIBRARY)
  message(FATAL_ERROR "symjit: cannot find the file of LLVM's 'LLVM' library target")
endif()

# The OpenBLAS the runtime dlopens (lib/runtime/blas_select.c): its SONAME
# first, then the file pkg-config found.
find_library(SJ_OPENBLAS_FILE NAMES openblas HINTS ${OPENBLAS_LIBRARY_DIRS} NO_DEFAULT_PATH)
if(NOT SJ_OPENBLAS_FILE)
  find_library(SJ_OPENBLAS_FILE NAMES openblas)
endif()
set(SJ_OPENBLAS_SONAME libopenblas.so.0)
if(SJ_OPENBLAS_FILE AND CMAKE_OBJDUMP)
  execute_process(COMMAND ${CMAKE_OBJDUMP} -p ${SJ_OPENBLAS_FILE} OUTPUT_VARIABLE _sj_od ERROR_QUIET)
  if(_sj_od MATCHES "SONAME +([^\n ]+)")
    set(SJ_OPENBLAS_SONAME ${CMAKE_MATCH_1})
  endif()
endif()
get_filename_component(_sj_ob_dir "${SJ_OPENBLAS_FILE}" DIRECTORY)
set(SJ_OPENBLAS_PATH ${_sj_ob_dir}/${SJ_OPENBLAS_SONAME})

set_target_properties(symjit_ir symjit_obj PROPERTIES POSITION_INDEPENDENT_CODE ON C_VISIBILITY_PRESET hidden)
set_property(SOURCE ${PROJECT_SOURCE_DIR}/lib/api/version.c APPEND PROPERTY COMPILE_DEFINITIONS
             SJ_VERSION_STRING="${PROJECT_VERSION}")
target_include_directories(symjit_obj PRIVATE ${OPENBLAS_INCLUDE_DIRS}) # cblas.h's enums only
set_property(SOURCE ${PROJECT_SOURCE_DIR}/lib/runtime/blas_select.c APPEND PROPERTY COMPILE_DEFINITIONS
             SJ_OPENBLAS_SONAME="${SJ_OPENBLAS_SONAME}" SJ_OPENBLAS_PATH="${SJ_OPENBLAS_PATH}")
set(SJ_LIB_DEPS ${SJ_LLVM_LIBRARY} Threads::Threads m ${CMAKE_DL_LIBS})

add_library(symjit_static STATIC $<TARGET_OBJECTS:symjit_ir> $<TARGET_OBJECTS:symjit_obj>)
set_target_properties(symjit_static PROPERTIES OUTPUT_NAME symjit EXPORT_NAME symjit_static)
target_include_directories(symjit_static PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                                $<INSTALL_INTERFACE:include>)
target_link_libraries(symjit_static PUBLIC ${SJ_LIB_DEPS})

add_library(symjit_shared SHARED $<TARGET_OBJECTS:symjit_ir> $<TARGET_OBJECTS:symjit_obj>)
set_target_properties(symjit_shared PROPERTIES OUTPUT_NAME symjit EXPORT_NAME symjit VERSION ${PROJECT_VERSION}
                                               SOVERSION ${SJ_SOVERSION})
target_include_directories(symjit_shared PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
                                                $<INSTALL_INTERFACE:include>)
target_link_libraries(symjit_shared PRIVATE ${SJ_LIB_DEPS})
# every symbol the library uses must come from its listed dependencies
target_link_options(symjit_shared PRIVATE LINKER:--no-undefined)

# The names a parent project (add_subdirectory, FetchContent) links, the same
# as find_package's.
add_library(symjit::symjit ALIAS symjit_shared)
add_library(symjit::symjit_static ALIAS symjit_static)

# In-tree: internals visible (tools, unit tests, benchmarks). Never exported.
add_library(symjit INTERFACE)
target_link_libraries(symjit INTERFACE symjit_static)
target_include_directories(symjit INTERFACE ${SJ_INTERNAL_INCLUDES})
